//! Word's list numbering: the definitions in `word/numbering.xml`, the counters a document's
//! numbered paragraphs advance, and the label Word shows before each item ("1.", "a)", "iv.",
//! "1.2.", "•").
//!
//! The canonical text has no indentation (lines are trimmed), so a list's nesting shows only
//! through its labels: multi-level labels ("1.2.") as the document defines them, letters or
//! roman numerals at deeper levels, and bullets that change with depth (•, ◦, ▪) when the
//! document's bullet is a symbol-font glyph that has no character of its own.

use std::collections::{BTreeMap, HashMap, HashSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::attr;

/// Word has nine list levels, `w:ilvl` 0 to 8.
const LEVELS: usize = 9;

/// One level of a list definition (`w:lvl`).
#[derive(Clone, Debug, Default)]
struct Level {
    start: Option<i64>,
    /// `w:numFmt`: `decimal`, `lowerLetter`, `bullet`, `none`…; empty when not given (decimal).
    format: String,
    /// `w:lvlText`: the label's pattern, `%1.` or `%1.%2.`; for bullets, the bullet itself.
    text: Option<String>,
    /// `w:lvlRestart`: restart after an item of this level (1-based) or shallower; 0 never.
    restart: Option<u8>,
    /// `w:isLgl`: every number in the label is shown as a decimal.
    legal: bool,
    /// `w:suff w:val="nothing"`: the label is followed by no space.
    no_space: bool,
    /// `w:pStyle`: the paragraph style that puts a paragraph at this level.
    style: Option<String>,
}

/// `w:abstractNum`: a list's levels, or a link to a numbering style that defines them.
#[derive(Debug, Default)]
struct Abstract {
    id: String,
    levels: BTreeMap<u8, Level>,
    /// `w:numStyleLink`: the style whose numbering this list uses.
    style_link: Option<String>,
}

/// `w:num`: a list instance, its definition and what it overrides.
#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    /// `w:lvlOverride`: a level's start (`w:startOverride`) or a whole level replaced.
    overrides: BTreeMap<u8, (Option<i64>, Option<Level>)>,
}

/// The list definitions of a document.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    nums: HashMap<String, Num>,
    abstracts: HashMap<String, Abstract>,
    /// Paragraph style id to its `w:numId` (styles.xml), for `w:numStyleLink`.
    style_nums: HashMap<String, String>,
}

/// A list item's label as the document shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Label {
    /// "1.", "a)", "1.2.", "•"; empty for a level numbered `none`.
    pub text: String,
    /// Whether a space separates the label from the item's text.
    pub space: bool,
}

impl Numbering {
    /// Reads `word/numbering.xml`; `style_nums` maps paragraph styles to the list they number.
    /// A part that does not parse gives the definitions read up to the error.
    pub fn parse(xml: &str, style_nums: HashMap<String, String>) -> Self {
        let mut out = Numbering {
            style_nums,
            ..Numbering::default()
        };
        let mut reader = Reader::from_str(xml);
        let mut abs: Option<(String, Abstract)> = None;
        let mut num: Option<(String, Num)> = None;
        let mut over: Option<(u8, Option<i64>, Option<Level>)> = None;
        let mut lvl: Option<(u8, Level)> = None;
        loop {
            let ev = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(ev) => ev,
            };
            let (e, closes) = match &ev {
                Event::Start(e) => (e.clone(), false),
                Event::Empty(e) => (e.clone(), true),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        b"lvl" => close_level(&mut lvl, &mut over, &mut abs),
                        b"lvlOverride" => close_override(&mut over, &mut num),
                        b"abstractNum" => {
                            if let Some((id, a)) = abs.take() {
                                out.abstracts.insert(id, a);
                            }
                        }
                        b"num" => {
                            if let Some((id, n)) = num.take() {
                                out.nums.insert(id, n);
                            }
                        }
                        _ => {}
                    }
                    continue;
                }
                _ => continue,
            };
            let val = || attr(&e, b"val");
            match e.local_name().as_ref() {
                b"abstractNum" if !closes => {
                    let id = attr(&e, b"abstractNumId").unwrap_or_default();
                    abs = Some((
                        id.clone(),
                        Abstract {
                            id,
                            ..Abstract::default()
                        },
                    ));
                }
                b"num" if !closes => {
                    num = Some((attr(&e, b"numId").unwrap_or_default(), Num::default()));
                }
                b"abstractNumId" => {
                    if let Some((_, n)) = num.as_mut() {
                        n.abstract_id = val().unwrap_or_default();
                    }
                }
                b"numStyleLink" => {
                    if let Some((_, a)) = abs.as_mut() {
                        a.style_link = val();
                    }
                }
                b"lvlOverride" if num.is_some() => {
                    over = Some((ilvl_of(&e), None, None));
                    if closes {
                        close_override(&mut over, &mut num);
                    }
                }
                b"startOverride" => {
                    if let Some(o) = over.as_mut() {
                        o.1 = val().and_then(|v| v.trim().parse().ok());
                    }
                }
                b"lvl" => {
                    lvl = Some((ilvl_of(&e), Level::default()));
                    if closes {
                        close_level(&mut lvl, &mut over, &mut abs);
                    }
                }
                name => {
                    if let Some((_, l)) = lvl.as_mut() {
                        level_property(l, name, val());
                    }
                }
            }
        }
        out
    }

    /// The list definition a `w:num` uses, following numbering-style links.
    fn resolve(&self, num_id: &str) -> Option<(&Num, &Abstract)> {
        let num = self.nums.get(num_id)?;
        let mut abs = self.abstracts.get(&num.abstract_id)?;
        for _ in 0..4 {
            let Some(link) = &abs.style_link else { break };
            let linked = self
                .style_nums
                .get(link)
                .and_then(|id| self.nums.get(id))
                .and_then(|n| self.abstracts.get(&n.abstract_id));
            match linked {
                Some(a) if !std::ptr::eq(a, abs) => abs = a,
                _ => break,
            }
        }
        Some((num, abs))
    }

    /// A level as a list instance shows it: the definition's, or the instance's replacement.
    fn level(&self, num_id: &str, ilvl: u8) -> Option<Level> {
        let (num, abs) = self.resolve(num_id)?;
        let own = num.overrides.get(&ilvl).and_then(|(_, l)| l.clone());
        let mut level = own.or_else(|| abs.levels.get(&ilvl).cloned())?;
        if let Some((Some(start), _)) = num.overrides.get(&ilvl) {
            level.start = Some(*start);
        }
        Some(level)
    }
}

fn ilvl_of(e: &BytesStart) -> u8 {
    attr(e, b"ilvl")
        .and_then(|v| v.trim().parse::<u8>().ok())
        .unwrap_or(0)
        .min(LEVELS as u8 - 1)
}

fn level_property(l: &mut Level, name: &[u8], val: Option<String>) {
    match name {
        b"start" => l.start = val.and_then(|v| v.trim().parse().ok()),
        // In mc:AlternateContent the fallback (a format every reader knows) comes last and wins.
        b"numFmt" => l.format = val.unwrap_or_default(),
        b"lvlText" => l.text = Some(val.unwrap_or_default()),
        b"lvlRestart" => l.restart = val.and_then(|v| v.trim().parse().ok()),
        b"isLgl" => l.legal = val.is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off")),
        b"suff" => l.no_space = val.as_deref() == Some("nothing"),
        b"pStyle" => l.style = val,
        _ => {}
    }
}

fn close_level(
    lvl: &mut Option<(u8, Level)>,
    over: &mut Option<(u8, Option<i64>, Option<Level>)>,
    abs: &mut Option<(String, Abstract)>,
) {
    let Some((ilvl, level)) = lvl.take() else {
        return;
    };
    if let Some(o) = over.as_mut() {
        o.2 = Some(level);
    } else if let Some((_, a)) = abs.as_mut() {
        a.levels.insert(ilvl, level);
    }
}

fn close_override(
    over: &mut Option<(u8, Option<i64>, Option<Level>)>,
    num: &mut Option<(String, Num)>,
) {
    if let (Some((ilvl, start, level)), Some((_, n))) = (over.take(), num.as_mut()) {
        n.overrides.insert(ilvl, (start, level));
    }
}

/// The counts of a document's lists as its paragraphs are read, in document order.
///
/// Instances (`w:num`) of one definition continue one count, as Word does; an instance that
/// overrides a level's start (Word's "Restart numbering" and "Set numbering value" write one)
/// restarts that count at its first item, and the count goes on from there.
#[derive(Debug, Default)]
pub(super) struct Counters {
    counts: HashMap<String, [Option<i64>; LEVELS]>,
    /// The instances and levels whose start override has been applied.
    restarted: HashSet<(String, u8)>,
}

impl Counters {
    /// Counts a numbered paragraph and gives its label: `ilvl` is the paragraph's level, else
    /// the level its style `style` is linked to, else 0. None when the document does not define
    /// the list (the caller shows a bullet).
    pub fn next(
        &mut self,
        numbering: &Numbering,
        num_id: &str,
        ilvl: Option<u8>,
        style: Option<&str>,
    ) -> Option<Label> {
        let (num, abs) = numbering.resolve(num_id)?;
        let ilvl = ilvl
            .or_else(|| {
                let style = style?;
                abs.levels
                    .iter()
                    .find(|(_, l)| l.style.as_deref() == Some(style))
                    .map(|(&i, _)| i)
            })
            .unwrap_or(0)
            .min(LEVELS as u8 - 1);
        let levels: Vec<Option<Level>> = (0..LEVELS as u8)
            .map(|i| numbering.level(num_id, i))
            .collect();
        let level = levels[usize::from(ilvl)].clone()?;
        let counts = self.counts.entry(abs.id.clone()).or_insert([None; LEVELS]);
        let at = usize::from(ilvl);
        if num
            .overrides
            .get(&ilvl)
            .is_some_and(|(start, _)| start.is_some())
            && self.restarted.insert((num_id.to_owned(), ilvl))
        {
            counts[at] = None;
        }
        let start = |i: usize| levels[i].as_ref().and_then(|l| l.start).unwrap_or(0);
        counts[at] = Some(counts[at].map_or(start(at), |c| c.saturating_add(1)));
        for (deeper, count) in counts.iter_mut().enumerate().skip(at + 1) {
            let restart = levels[deeper].as_ref().and_then(|l| l.restart);
            // By default a level restarts after any shallower item; lvlRestart n restarts it
            // only after items of level n (1-based) or shallower, and 0 never.
            if restart.is_none_or(|n| n != 0 && at < usize::from(n)) {
                *count = None;
            }
        }
        let text = if level.format == "bullet" {
            bullet(level.text.as_deref().unwrap_or("•"), ilvl)
        } else {
            let pattern = level.text.as_deref().unwrap_or("");
            fill(pattern, |n| {
                let value = counts[n].unwrap_or_else(|| start(n));
                let format = match &levels[n] {
                    Some(l) if !level.legal => l.format.as_str(),
                    _ => "decimal",
                };
                number(value, format)
            })
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(Label {
            space: !level.no_space && !text.is_empty(),
            text,
        })
    }
}

/// `pattern` with `%1`…`%9` replaced by `value(level)` of levels 0…8.
fn fill(pattern: &str, mut value: impl FnMut(usize) -> String) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%'
            && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            && (1..=9).contains(&d)
        {
            chars.next();
            out.push_str(&value(d as usize - 1));
        } else if !is_private_use(c) {
            out.push(c);
        }
    }
    out
}

fn is_private_use(c: char) -> bool {
    ('\u{e000}'..='\u{f8ff}').contains(&c)
}

/// The bullet Word shows. Symbol and Wingdings bullets are stored as private-use or Latin
/// characters drawn in those fonts ("" or "·" for •, "o" in Courier New for ◦, "§" for ▪):
/// they become the characters they look like; an unknown symbol becomes a bullet that changes
/// with depth, so nesting still shows.
fn bullet(text: &str, ilvl: u8) -> String {
    let mut chars = text.chars().filter(|c| !c.is_whitespace());
    let (first, more) = (chars.next(), chars.next().is_some());
    let by_depth = ["•", "◦", "▪"][usize::from(ilvl) % 3];
    let Some(c) = first else {
        return String::new();
    };
    if more {
        return text.trim().to_owned();
    }
    match c {
        '\u{f0b7}' | '·' | '\u{f0a5}' => "•".into(),
        'o' | '\u{f06f}' => "◦".into(),
        '§' | '\u{f0a7}' | '\u{f06e}' => "▪".into(),
        'Ø' | '\u{f0d8}' => "➢".into(),
        'ü' | '\u{f0fc}' => "✓".into(),
        '\u{f076}' => "❖".into(),
        c if is_private_use(c) || c.is_control() => by_depth.into(),
        c => c.to_string(),
    }
}

/// `n` in one of Word's number formats (`w:numFmt`); formats not known here are decimal.
pub(super) fn number(n: i64, format: &str) -> String {
    let pos = u64::try_from(n).ok().filter(|&n| n > 0);
    match (format, pos) {
        ("none", _) => String::new(),
        ("decimalZero", _) if (0..10).contains(&n) => format!("0{n}"),
        ("lowerLetter", Some(n)) => letters(n, 'a'),
        ("upperLetter", Some(n)) => letters(n, 'A'),
        ("lowerRoman", Some(n)) if n < 4000 => roman(n).to_lowercase(),
        ("upperRoman", Some(n)) if n < 4000 => roman(n),
        ("ordinal", Some(n)) => format!("{n}{}", ordinal_suffix(n)),
        ("decimalEnclosedParen", _) => format!("({n})"),
        ("decimalEnclosedCircle" | "decimalEnclosedCircleChinese", Some(n @ 1..=20)) => {
            char::from_u32(0x2460 + n as u32 - 1).map_or(n.to_string(), String::from)
        }
        ("decimalFullWidth" | "decimalFullWidth2", _) => n
            .to_string()
            .chars()
            .map(|d| {
                d.to_digit(10)
                    .and_then(|d| char::from_u32(0xff10 + d))
                    .unwrap_or(d)
            })
            .collect(),
        ("ganada", Some(n)) => cycle(
            n,
            &[
                "가", "나", "다", "라", "마", "바", "사", "아", "자", "차", "카", "타", "파", "하",
            ],
        ),
        ("chosung", Some(n)) => cycle(
            n,
            &[
                "ㄱ", "ㄴ", "ㄷ", "ㄹ", "ㅁ", "ㅂ", "ㅅ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ",
            ],
        ),
        ("ideographTraditional", Some(n)) => cycle(
            n,
            &["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"],
        ),
        (
            "chineseCounting"
            | "chineseCountingThousand"
            | "japaneseCounting"
            | "taiwaneseCounting"
            | "ideographDigital"
            | "japaneseDigitalTenThousand",
            Some(n @ 1..=99),
        ) => ideographs(n),
        _ => n.to_string(),
    }
}

/// a…z, then aa…zz, aaa…: Word repeats the letter.
fn letters(n: u64, a: char) -> String {
    let times = usize::try_from((n - 1) / 26 + 1).unwrap_or(1).min(50);
    let c = char::from_u32(a as u32 + ((n - 1) % 26) as u32).unwrap_or(a);
    std::iter::repeat_n(c, times).collect()
}

fn roman(mut n: u64) -> String {
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

fn ordinal_suffix(n: u64) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn cycle(n: u64, symbols: &[&str]) -> String {
    let i = usize::try_from((n - 1) % symbols.len() as u64).unwrap_or(0);
    symbols[i].to_owned()
}

/// 1…99 in Chinese and Japanese counting: 一, 十, 十一, 二十一.
fn ideographs(n: u64) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    match tens {
        0 => DIGITS[ones].to_owned(),
        1 => format!("十{}", DIGITS[ones]),
        t => format!("{}十{}", DIGITS[t], DIGITS[ones]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_word_formats() {
        let cases = [
            (3, "decimal", "3"),
            (7, "decimalZero", "07"),
            (12, "decimalZero", "12"),
            (1, "lowerLetter", "a"),
            (28, "lowerLetter", "bb"),
            (3, "upperLetter", "C"),
            (4, "lowerRoman", "iv"),
            (1994, "upperRoman", "MCMXCIV"),
            (12, "ordinal", "12th"),
            (22, "ordinal", "22nd"),
            (3, "decimalEnclosedCircle", "③"),
            (12, "decimalFullWidth", "１２"),
            (2, "ganada", "나"),
            (21, "chineseCounting", "二十一"),
            (5, "none", ""),
            (5, "someFutureFormat", "5"),
            (0, "lowerRoman", "0"),
        ];
        for (n, format, want) in cases {
            assert_eq!(number(n, format), want, "{n} as {format}");
        }
    }

    #[test]
    fn bullets_become_the_characters_they_look_like() {
        assert_eq!(bullet("\u{f0b7}", 0), "•");
        assert_eq!(bullet("o", 1), "◦");
        assert_eq!(bullet("\u{f0a7}", 2), "▪");
        assert_eq!(bullet("–", 0), "–");
        assert_eq!(bullet("\u{f0e0}", 1), "◦", "an unknown symbol shows depth");
        assert_eq!(bullet("", 0), "");
    }

    #[test]
    fn patterns_take_each_levels_number() {
        let values = ["2", "c", "iv"];
        assert_eq!(fill("%1.%2.%3", |n| values[n].into()), "2.c.iv");
        assert_eq!(fill("(%2)", |n| values[n].into()), "(c)");
        assert_eq!(fill("100%", |n| values[n].into()), "100%");
    }
}
