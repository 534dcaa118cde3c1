//! Dates as pages print them, in their own language: `jueves, 09 enero 2014 10:21`,
//! `9. Januar 2014`, `le 9 janvier 2014 à 10h21`, `January 9, 2014, 10:21 AM`,
//! `9 января 2014`, `2014年1月9日 10:21`, `2014년 1월 9일`, read into ISO 8601
//! (`2014-01-09`, with `T10:21:00` when a time is given).
//!
//! The words that name months (full and abbreviated) in English, French, German, Spanish,
//! Portuguese, Italian, Dutch and Russian (both cases) are matched whole, without regard to
//! case or accents' absence; weekday names and other words are ignored. A string with
//! numbers only is left to the caller's numeric formats: `03/04/2014` is ambiguous.

/// The date (and time) a printed date names, as ISO 8601; `None` when it does not name one
/// with a year, a month and a day.
pub fn from_words(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    if let Some(iso) = east_asian(&lower) {
        return Some(iso);
    }
    let tokens = tokens(&lower);
    let mut month = None;
    let mut numbers: Vec<(usize, u32, usize)> = Vec::new(); // (position, value, digits)
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Word(w) => {
                if month.is_none()
                    && let Some(m) = month_of(w)
                {
                    month = Some((i, m));
                }
            }
            Token::Number(n, digits) => numbers.push((i, *n, *digits)),
            Token::Time(..) => {}
        }
    }
    let (at, month) = month?;
    let year = numbers
        .iter()
        .find(|(_, n, d)| *d == 4 && (1800..=2200).contains(n))
        .map(|(i, n, _)| (*i, *n))?;
    // The day: the number of one or two digits nearest the month word.
    let day = numbers
        .iter()
        .filter(|(i, n, d)| *d <= 2 && (1..=31).contains(n) && *i != year.0)
        .min_by_key(|(i, _, _)| i.abs_diff(at))
        .map(|(_, n, _)| *n)?;
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(year.1).ok()?, month, day)?;
    let time = tokens.iter().find_map(|t| match t {
        Token::Time(h, m) => Some((*h, *m)),
        _ => None,
    });
    Some(with_time(date, time, &lower))
}

/// `2014年1月9日`, `2014年01月09日 10:21`, `2014년 1월 9일`.
fn east_asian(lower: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut digits = String::new();
    for c in lower.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            '年' | '년' => Some('y'),
            '月' | '월' => Some('m'),
            '日' | '일' => Some('d'),
            _ => None,
        };
        match unit {
            Some(u) if !digits.is_empty() => {
                parts.push((u, digits.parse::<u32>().ok()?));
                digits.clear();
            }
            _ => digits.clear(),
        }
    }
    let get = |u: char| parts.iter().find(|(p, _)| *p == u).map(|(_, n)| *n);
    let date =
        chrono::NaiveDate::from_ymd_opt(i32::try_from(get('y')?).ok()?, get('m')?, get('d')?)?;
    let time = tokens(lower).iter().find_map(|t| match t {
        Token::Time(h, m) => Some((*h, *m)),
        _ => None,
    });
    Some(with_time(date, time, lower))
}

/// The date, with the time when one is given (`pm` read).
fn with_time(date: chrono::NaiveDate, time: Option<(u32, u32)>, lower: &str) -> String {
    // "pm"/"am" as words of their own (not inside "shipment"), or 午後/午前 in Japanese.
    let has = |marks: &[&str]| {
        lower
            .split(|c: char| !(c.is_alphanumeric() || c == '.'))
            .any(|w| marks.contains(&w.trim_end_matches('.').trim_start_matches('.')))
            || marks.iter().any(|m| !m.is_ascii() && lower.contains(m))
    };
    let pm = has(&["pm", "p.m", "午後"]);
    let am = has(&["am", "a.m", "午前"]);
    match time {
        Some((mut h, m)) => {
            if pm && h < 12 {
                h += 12;
            } else if am && h == 12 {
                h = 0;
            }
            match date.and_hms_opt(h, m, 0) {
                Some(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
                None => date.format("%Y-%m-%d").to_string(),
            }
        }
        None => date.format("%Y-%m-%d").to_string(),
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    /// A number and how many digits it was written with.
    Number(u32, usize),
    /// `10:21`, `10h21`, `10.21 Uhr` is not read (it looks like a date).
    Time(u32, u32),
}

fn tokens(lower: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let first: String = chars[start..i].iter().collect();
            // A time: HH:MM or HHhMM.
            if i + 2 < chars.len() + 1
                && i < chars.len()
                && (chars[i] == ':' || chars[i] == 'h')
                && first.len() <= 2
            {
                let s = i + 1;
                let mut e = s;
                while e < chars.len() && chars[e].is_ascii_digit() {
                    e += 1;
                }
                if e - s == 2 {
                    let minutes: String = chars[s..e].iter().collect();
                    if let (Ok(h), Ok(m)) = (first.parse(), minutes.parse())
                        && h < 24
                        && m < 60
                    {
                        out.push(Token::Time(h, m));
                        i = e;
                        // Seconds, if any.
                        if i < chars.len() && chars[i] == ':' {
                            i += 1;
                            while i < chars.len() && chars[i].is_ascii_digit() {
                                i += 1;
                            }
                        }
                        continue;
                    }
                }
            }
            if let Ok(n) = first.parse() {
                out.push(Token::Number(n, first.len()));
            }
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            i += 1;
        }
    }
    out
}

/// The month a word names (1–12), in any of the languages above.
fn month_of(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "january",
            "jan",
            "janvier",
            "janv",
            "januar",
            "jänner",
            "enero",
            "ene",
            "janeiro",
            "gennaio",
            "gen",
            "januari",
            "январь",
            "января",
            "янв",
        ],
        &[
            "february",
            "feb",
            "février",
            "fevrier",
            "févr",
            "fevr",
            "februar",
            "febrero",
            "fevereiro",
            "fev",
            "febbraio",
            "februari",
            "февраль",
            "февраля",
            "фев",
        ],
        &[
            "march",
            "mar",
            "mars",
            "märz",
            "marz",
            "marzo",
            "março",
            "marco",
            "maart",
            "март",
            "марта",
        ],
        &[
            "april",
            "apr",
            "avril",
            "avr",
            "abril",
            "abr",
            "aprile",
            "апрель",
            "апреля",
            "апр",
        ],
        &[
            "may", "mai", "mayo", "maio", "maggio", "mag", "mei", "май", "мая",
        ],
        &[
            "june", "jun", "juin", "juni", "junio", "junho", "giugno", "giu", "июнь", "июня",
        ],
        &[
            "july", "jul", "juillet", "juil", "juli", "julio", "julho", "luglio", "lug", "июль",
            "июля",
        ],
        &[
            "august",
            "aug",
            "août",
            "aout",
            "agosto",
            "ago",
            "augustus",
            "август",
            "августа",
            "авг",
        ],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "setembro",
            "set",
            "settembre",
            "сентябрь",
            "сентября",
            "сен",
        ],
        &[
            "october",
            "oct",
            "octobre",
            "oktober",
            "okt",
            "octubre",
            "outubro",
            "out",
            "ottobre",
            "ott",
            "октябрь",
            "октября",
        ],
        &[
            "november",
            "nov",
            "novembre",
            "noviembre",
            "novembro",
            "ноябрь",
            "ноября",
        ],
        &[
            "december",
            "dec",
            "décembre",
            "decembre",
            "déc",
            "dezember",
            "dez",
            "diciembre",
            "dic",
            "dezembro",
            "dicembre",
            "декабрь",
            "декабря",
            "дек",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&word))
        .and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_dates_in_many_languages_become_iso() {
        let cases = [
            ("jueves, 09 enero 2014 10:21", Some("2014-01-09T10:21:00")),
            ("9. Januar 2014", Some("2014-01-09")),
            ("le 9 janvier 2014 à 10h21", Some("2014-01-09T10:21:00")),
            ("January 9, 2014, 10:21 PM", Some("2014-01-09T22:21:00")),
            ("January 9, 2014, 10:21 p.m.", Some("2014-01-09T22:21:00")),
            (
                "9 January 2014 10:21 · Development desk",
                Some("2014-01-09T10:21:00"),
            ),
            ("9 January 2014 12:30 am", Some("2014-01-09T00:30:00")),
            ("Published Jan 9 2014", Some("2014-01-09")),
            ("9 января 2014 г.", Some("2014-01-09")),
            ("2014年1月9日 10:21", Some("2014-01-09T10:21:00")),
            ("2014년 1월 9일", Some("2014-01-09")),
            ("quinta-feira, 9 de janeiro de 2014", Some("2014-01-09")),
            ("9 gennaio 2014", Some("2014-01-09")),
            ("martes 4 de marzo de 2014", Some("2014-03-04")),
            // No month word, or no year: not a date this reads.
            ("03/04/2014", None),
            ("9 January", None),
            ("May the force be with you", None),
            ("31 February 2014", None),
        ];
        for (text, want) in cases {
            assert_eq!(from_words(text).as_deref(), want, "{text}");
        }
    }
}
