//! A fast writer of a sidecar's annotations: the same bytes as `ron`'s pretty printer makes
//! for them (two spaces per level, one field per line, `Some(…)`, strings escaped as
//! [`char::escape_debug`] escapes them), written straight from the model, several times
//! faster than `ron` (no serde calls, no copies of the strings, escaping only where a
//! character needs it).
//!
//! It writes only the annotation list's items; the file around them comes from `ron`
//! ([`super::sidecar`] splits it there). The sidecar's renderer checks its first annotation
//! against `ron`'s own rendering before using it, and tests hold both to the same bytes on
//! every kind of text.

use crate::model::{Annotation, Confidence, Fragment, LinkKind, Status};

/// One indentation level of the sidecar's layout.
const INDENT: &str = "  ";

/// Appends the annotation as `ron` renders its sidecar form (`AnnotationV3`) at nesting
/// `level` (its fields one level deeper; the opening bracket goes where `out` ends).
pub(super) fn annotation(out: &mut String, a: &Annotation, level: usize) {
    let r = &a.record;
    let mut s = Struct::open(out, level);
    s.field("id").string(&a.id.0);
    s.field("tags").strings(&a.tags);
    s.field("fragments").with(|out, level| {
        list(out, level, &a.fragments, |out, f| {
            fragment(out, f, level + 1)
        });
    });
    if !a.note.is_empty() {
        s.field("note").string(&a.note);
    }
    if !a.author.is_empty() {
        s.field("author").string(&a.author);
    }
    s.field("created").string(&a.created);
    s.field("modified").string(&a.modified);
    if let Some(name) = &r.attributed_to {
        s.field("attributed_to").some(|out, _| string(out, name));
    }
    if let Some(f) = &r.source_span {
        s.field("source_span")
            .some(|out, level| fragment(out, f, level));
    }
    if !r.via.is_empty() {
        s.field("via").strings(&r.via);
    }
    if let Some(g) = r.reliability {
        let mut letter = [0u8; 4];
        let letter: &str = g.letter().encode_utf8(&mut letter);
        s.field("reliability").some(|out, _| string(out, letter));
    }
    if let Some(c) = r.credibility {
        s.field("credibility")
            .some(|out, _| out.push_str(itoa::Buffer::new().format(c.digit())));
    }
    s.field("status").raw(status_name(r.status));
    if let Some(c) = r.confidence {
        s.field("confidence")
            .some(|out, _| out.push_str(confidence_name(c)));
    }
    if !r.links.is_empty() {
        s.field("links").with(|out, level| {
            list(out, level, &r.links, |out, l| {
                let mut link = Struct::open(out, level + 1);
                link.field("kind").raw(link_kind_name(l.kind));
                link.field("target").string(&l.target.0);
                match &l.article {
                    Some(article) => link.field("article").some(|out, _| string(out, article)),
                    None => link.field("article").raw("None"),
                }
                link.close();
            });
        });
    }
    if a.anchor.orphaned {
        s.field("orphaned").raw("true");
    }
    if !a.anchor.history.is_empty() {
        s.field("history").strings(&a.anchor.history);
    }
    s.close();
}

/// A fragment (`FragmentV3`) at nesting `level`.
fn fragment(out: &mut String, f: &Fragment, level: usize) {
    let mut number = itoa::Buffer::new();
    let mut s = Struct::open(out, level);
    s.field("start").raw(number.format(f.span.start));
    s.field("end").raw(number.format(f.span.end));
    s.field("quote").string(&f.quote);
    s.field("prefix").string(&f.prefix);
    s.field("suffix").string(&f.suffix);
    if let Some(q) = &f.original_quote {
        s.field("original_quote").some(|out, _| string(out, q));
    }
    s.close();
}

/// A struct being written: `(`, then each field on its own line one level deeper, each
/// followed by a comma, then `)` on a line at `level`.
struct Struct<'o> {
    out: &'o mut String,
    level: usize,
}

impl<'o> Struct<'o> {
    fn open(out: &'o mut String, level: usize) -> Self {
        out.push_str("(\n");
        Self { out, level }
    }

    /// Starts a field: the caller writes its value through the returned [`Value`].
    fn field(&mut self, name: &str) -> Value<'_> {
        indent(self.out, self.level + 1);
        self.out.push_str(name);
        self.out.push_str(": ");
        Value {
            out: self.out,
            level: self.level + 1,
        }
    }

    fn close(self) {
        indent(self.out, self.level);
        self.out.push(')');
    }
}

/// Where one field's value goes, at the field's nesting level; writing it ends the field.
struct Value<'o> {
    out: &'o mut String,
    level: usize,
}

impl Value<'_> {
    fn raw(self, text: &str) {
        self.out.push_str(text);
        self.out.push_str(",\n");
    }

    fn string(self, text: &str) {
        string(self.out, text);
        self.out.push_str(",\n");
    }

    fn strings(self, items: &[String]) {
        self.with(|out, level| list(out, level, items, |out, s| string(out, s)));
    }

    /// A value that `write` writes (given the field's level).
    fn with(self, write: impl FnOnce(&mut String, usize)) {
        write(self.out, self.level);
        self.out.push_str(",\n");
    }

    /// `Some(…)` around what `inner` writes (at the field's level, as `ron` does).
    fn some(self, inner: impl FnOnce(&mut String, usize)) {
        self.out.push_str("Some(");
        inner(self.out, self.level);
        self.out.push_str("),\n");
    }
}

/// A list at nesting `level`: `[]` when empty, else each item on its own line one level
/// deeper, each followed by a comma, and `]` on a line at `level`.
fn list<T>(out: &mut String, level: usize, items: &[T], mut item: impl FnMut(&mut String, &T)) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push_str("[\n");
    for it in items {
        indent(out, level + 1);
        item(out, it);
        out.push_str(",\n");
    }
    indent(out, level);
    out.push(']');
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str(INDENT);
    }
}

/// A string in quotes, each character as [`char::escape_debug`] gives it (as `ron` writes
/// strings): printable ASCII other than quotes and the backslash is copied in runs.
fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut rest = text;
    while !rest.is_empty() {
        let plain = rest
            .bytes()
            .position(|b| !(0x20..0x7f).contains(&b) || matches!(b, b'"' | b'\'' | b'\\'))
            .unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        out.extend(c.escape_debug());
        rest = &rest[c.len_utf8()..];
    }
    out.push('"');
}

/// The names `ron` writes for these unit variants (serde's `snake_case`; a test holds them to
/// `ron`'s own).
fn status_name(s: Status) -> &'static str {
    match s {
        Status::Unverified => "unverified",
        Status::Corroborated => "corroborated",
        Status::Disputed => "disputed",
        Status::Refuted => "refuted",
    }
}

fn confidence_name(c: Confidence) -> &'static str {
    match c {
        Confidence::Low => "low",
        Confidence::Moderate => "moderate",
        Confidence::High => "high",
    }
}

fn link_kind_name(k: LinkKind) -> &'static str {
    match k {
        LinkKind::Supports => "supports",
        LinkKind::Contradicts => "contradicts",
        LinkKind::SameClaimAs => "same_claim_as",
        LinkKind::Elaborates => "elaborates",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_are_rons() {
        for s in Status::ALL {
            assert_eq!(ron::to_string(&s).expect("ron"), status_name(s));
        }
        for c in Confidence::ALL {
            assert_eq!(ron::to_string(&c).expect("ron"), confidence_name(c));
        }
        for k in LinkKind::ALL {
            assert_eq!(ron::to_string(&k).expect("ron"), link_kind_name(k));
        }
    }

    #[test]
    fn strings_are_escaped_as_ron_escapes_them() {
        for text in [
            "",
            "plain",
            "it's \"quoted\" \\ back",
            "tab\there\nnew\rcr\0nul\u{7f}del\u{1b}esc",
            "é e\u{301} 北 😀 \u{200b}\u{feff}\u{85}\u{a0}",
            "\u{301}starts with a mark",
        ] {
            let mut ours = String::new();
            string(&mut ours, text);
            assert_eq!(ours, ron::to_string(text).expect("ron"), "{text:?}");
        }
    }
}
