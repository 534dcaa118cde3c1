//! The rules of scripts without capitals or spaces between words: Korean, Japanese and
//! Chinese subjects up to their particle, a claim closed by a quotative particle before its
//! cue (と述べた, 이라고 말했다), relays (援引…的话, …을 인용해, …の話として) and a headline's
//! speaker right before its quote.

use super::{Doc, Found, Suggestion, cues, is_cjk_char, is_hangul};
use crate::model::Span;

impl Doc<'_> {
    /// A relay in Chinese, Korean or Japanese before the cue: "《经济日报》援引知情人士的话报道",
    /// "니케이신문은 업계 소식통을 인용해 … 보도했다", "東都通信は政府筋の話として … 報じた": the
    /// one quoted is the source, the outlet a relay.
    pub(super) fn relayed(&self, mut s: Suggestion, before: Span) -> Suggestion {
        let Some((quoted, outlet)) = self.dense_relay(before) else {
            return s;
        };
        let quoted = self.trim(quoted);
        let from = self.clause_start_before(before, outlet.start.max(before.start));
        let outlet = self.trim(Span::between(from, outlet.end));
        if quoted.is_empty() || outlet.is_empty() {
            return s;
        }
        s.source = Some(Found {
            span: quoted,
            text: cues::without_object(&self.text(quoted)),
        });
        s.via = vec![cues::without_particle(&self.text(outlet))];
        s
    }

    /// The one quoted and the outlet in a Chinese, Korean or Japanese relay before a cue.
    fn dense_relay(&self, before: Span) -> Option<(Span, Span)> {
        let text = &self.chars[before.start..before.end];
        let find = |pat: &str| {
            let pat: Vec<char> = pat.chars().collect();
            text.windows(pat.len()).position(|w| w == pat.as_slice())
        };
        let at = |k: usize| before.start + k;
        if let Some(k) = find("援引") {
            let end = find("的话").filter(|&e| e > k).unwrap_or(text.len());
            return Some((
                Span::between(at(k + 2), at(end)),
                Span::between(before.start, at(k)),
            ));
        }
        // The quoted one follows the outlet's topic: "… 업계 소식통을 인용해", "…政府筋の話として".
        let k = find("인용").or_else(|| find("の話として"))?;
        let outlet = self.topic(Span::between(before.start, at(k)))?;
        let rest = self.trim(Span::between(outlet.span.end, at(k)));
        let quoted = Span::between(self.clause_after_particle(rest), rest.end);
        Some((quoted, outlet.span))
    }

    /// Past the topic particle (は, が, 은, 는) that may open `span`.
    fn clause_after_particle(&self, span: Span) -> usize {
        let Some(w) = self.words_in(span).next() else {
            return span.start;
        };
        match self.text(self.words[w]).as_str() {
            "は" | "が" | "은" | "는" => self.words[w].end,
            _ => span.start,
        }
    }

    /// Korean and Japanese report before the cue, the claim ending in a quotative particle:
    /// "SOURCEは CLAIMと述べた", "CLAIMと SOURCEは述べた", "SOURCE은 CLAIM이라고 말했다",
    /// "CLAIM다고 SOURCE가 밝혔다". The claim, and the source when it follows the claim.
    pub(super) fn quoted_before_cue(&self, before: Span, source: &Found) -> Option<(Span, Found)> {
        let words: Vec<usize> = self.words_in(before).collect();
        let text = |w: usize| self.text(self.words[w]);
        let (k, cut) = words.iter().enumerate().rev().find_map(|(k, &w)| {
            let t = text(w);
            let quotative = cues::QUOTATIVES
                .iter()
                .find(|q| t.ends_with(*q) && t.chars().count() > q.chars().count());
            match (t.as_str(), quotative) {
                ("と", _) if !self.in_quote(self.words[w].start) => Some((k, self.words[w].start)),
                (_, Some(q)) if is_hangul(t.chars().next()?) => {
                    Some((k, self.words[w].end - q.chars().count()))
                }
                _ => None,
            }
        })?;
        let clause = self.clause_start_before(before, self.words[words[0]].start.max(before.start));
        if k + 1 < words.len() {
            // The claim first, then its source.
            let after = Span::between(self.words[words[k]].end, before.end);
            let source = self.topic(after)?;
            let start = self.clause_start_before(before, self.words[words[k]].start);
            return Some((self.trim(Span::between(start.max(clause), cut)), source));
        }
        let from = source.span.end.max(before.start);
        let from = self
            .words_in(Span::between(from, cut))
            .next()
            .map_or(cut, |w| {
                // Past the particle that ends the source (は, が).
                let first = self.words[w];
                match self.text(first).as_str() {
                    "は" | "が" => first.end,
                    _ => first.start,
                }
            });
        let content = self.trim(Span::between(from, cut));
        (content.len() >= 2).then(|| (content, source.clone()))
    }

    /// The subject in a script without capitals: Korean up to its topic or subject particle
    /// ("한 장관은"), Japanese up to は or が ("森田総裁は"), Chinese up to a word of place, time
    /// or address ("林振华在…", "协会周二…"), each from the clause's start.
    pub(super) fn topic(&self, span: Span) -> Option<Found> {
        let words: Vec<usize> = self.words_in(span).collect();
        let text = |w: usize| self.text(self.words[w]);
        // The topic (는, then 은, many names end in 은) before the subject (이, 가).
        // "저소득층에는" is an adverb with a topic, "‘대전시민연대’는" a quoted name and its particle.
        let particle = |ends: &[&str]| {
            words.iter().copied().find(|&w| {
                let t = text(w);
                let alone = ends.contains(&t.as_str());
                let adverb = ["에는", "에서는", "로는", "에게는"]
                    .iter()
                    .any(|a| t.ends_with(a));
                alone
                    || (t.chars().last().is_some_and(is_hangul)
                        && cues::without_particle(&t) != t
                        && !adverb
                        && ends.iter().any(|e| t.ends_with(e)))
            })
        };
        let korean = particle(&["는", "께서"])
            .or_else(|| particle(&["은"]))
            .or_else(|| particle(&["이", "가", "에"]));
        let japanese = words
            .iter()
            .copied()
            .find(|&w| matches!(text(w).as_str(), "は" | "が"));
        let (end, particle_start) = match (korean, japanese) {
            (Some(w), _) => (self.words[w].end, self.words[w].end),
            (None, Some(w)) => (self.words[w].start, self.words[w].start),
            (None, None) => {
                let stop = words
                    .iter()
                    .copied()
                    .find(|&w| cues::ZH_STOPS.contains(&text(w).as_str()));
                let end = stop.map_or(span.end, |w| self.words[w].start);
                (end, end)
            }
        };
        let start = self.clause_start_before(span, particle_start);
        let found = self.trim(Span::between(start, end));
        (!found.is_empty()).then(|| self.found(found))
    }

    /// A headline's speaker in a script without capitals: the word right before the quote
    /// ("정부 “하반기 반등 기대”", "総裁「…」").
    pub(super) fn adjacent_speaker(&self, at: usize) -> Option<String> {
        let mut k = at;
        while k > 0 && self.chars[k - 1] == ' ' {
            k -= 1;
        }
        let end = k;
        while k > 0 && (is_cjk_char(self.chars[k - 1]) || is_hangul(self.chars[k - 1])) {
            k -= 1;
        }
        (k < end).then(|| self.text(Span::between(k, end)))
    }
}
