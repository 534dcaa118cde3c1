//! A fast reader for the RON that Claimmark writes: the files `ron`'s pretty printer makes
//! (structs without names, lists, strings with Rust escapes, integers, `Some(…)`/`None`, unit
//! enum variants, booleans, `//` comments), read straight into the serde types of the storage
//! formats, several times faster than `ron` itself.
//!
//! It is a fast path, never the only one: anything outside that subset (a named struct is
//! fine; raw strings, block comments, `#![enable(…)]` extensions, hexadecimal numbers, tuples,
//! enum variants with data…) is an [`Unsupported`] error, and the caller reads the file with
//! `ron`, which gives the same result or the precise message. A property test in
//! `storage::sidecar` holds both readers to the same values on every file the writer can make.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};

/// Why the fast reader did not read a text: the caller falls back to `ron`.
#[derive(Debug, thiserror::Error)]
#[error("at byte {at}: {what}")]
pub struct Unsupported {
    pub at: usize,
    pub what: String,
}

impl de::Error for Unsupported {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self {
            at: 0,
            what: msg.to_string(),
        }
    }
}

/// Reads a whole RON text as `T` (only whitespace and comments may follow the value).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Unsupported> {
    let mut de = Reader {
        s: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
    };
    de.skip()?;
    if de.s[de.pos..].starts_with(b"#") {
        return Err(de.unsupported("RON extensions"));
    }
    let value = T::deserialize(&mut de)?;
    de.skip()?;
    if de.pos != de.s.len() {
        return Err(de.unsupported("text after the value"));
    }
    Ok(value)
}

/// Nesting deeper than this is left to `ron` (which has its own limit and message).
const MAX_DEPTH: usize = 64;

struct Reader<'de> {
    s: &'de [u8],
    text: &'de str,
    pos: usize,
    depth: usize,
}

impl<'de> Reader<'de> {
    fn unsupported(&self, what: &str) -> Unsupported {
        Unsupported {
            at: self.pos,
            what: what.to_owned(),
        }
    }

    /// Skips whitespace and `//` comments.
    fn skip(&mut self) -> Result<(), Unsupported> {
        loop {
            match self.s.get(self.pos) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => self.pos += 1,
                Some(b'/') => match self.s.get(self.pos + 1) {
                    Some(b'/') => {
                        while self.s.get(self.pos).is_some_and(|&c| c != b'\n') {
                            self.pos += 1;
                        }
                    }
                    _ => return Err(self.unsupported("a block comment")),
                },
                _ => return Ok(()),
            }
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, Unsupported> {
        self.skip()?;
        Ok(self.s.get(self.pos).copied())
    }

    fn expect(&mut self, byte: u8) -> Result<(), Unsupported> {
        if self.peek()? == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unsupported(&format!("`{}` expected", byte as char)))
        }
    }

    /// An identifier: `[A-Za-z_][A-Za-z0-9_]*`.
    fn ident(&mut self) -> Result<&'de str, Unsupported> {
        self.skip()?;
        let start = self.pos;
        while self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.pos += 1;
        }
        if start == self.pos || self.s[start].is_ascii_digit() {
            return Err(self.unsupported("a name expected"));
        }
        // `r#name` and raw strings are left to `ron`.
        if self.s.get(self.pos) == Some(&b'#') {
            return Err(self.unsupported("a raw name or string"));
        }
        Ok(&self.text[start..self.pos])
    }

    /// Whether an identifier starts here (not a raw string `r"…"`).
    fn at_ident(&self) -> bool {
        self.s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    }

    /// A string: borrowed when it has no escapes.
    fn string(&mut self) -> Result<Text<'de>, Unsupported> {
        self.expect(b'"')?;
        let start = self.pos;
        // The common case: no escape before the closing quote.
        while let Some(&c) = self.s.get(self.pos) {
            match c {
                b'"' => {
                    let text = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(Text::Borrowed(text));
                }
                b'\\' => break,
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let Some(&c) = self.s.get(self.pos) else {
                return Err(self.unsupported("an unterminated string"));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(Text::Owned(out));
                }
                b'\\' => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                _ => {
                    // Copy up to the next quote or backslash (whole UTF-8 sequences).
                    let from = self.pos;
                    while self
                        .s
                        .get(self.pos)
                        .is_some_and(|&c| c != b'"' && c != b'\\')
                    {
                        self.pos += 1;
                    }
                    out.push_str(&self.text[from..self.pos]);
                }
            }
        }
    }

    /// The character an escape stands for (after the backslash).
    fn escape(&mut self) -> Result<char, Unsupported> {
        let Some(&c) = self.s.get(self.pos) else {
            return Err(self.unsupported("an unterminated escape"));
        };
        self.pos += 1;
        Ok(match c {
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'0' => '\0',
            b'\\' => '\\',
            b'"' => '"',
            b'\'' => '\'',
            b'u' => {
                if self.s.get(self.pos) != Some(&b'{') {
                    return Err(self.unsupported("a \\u escape without braces"));
                }
                let from = self.pos + 1;
                let Some(len) = self.s[from..].iter().position(|&c| c == b'}') else {
                    return Err(self.unsupported("an unterminated \\u escape"));
                };
                let hex = &self.text[from..from + len];
                self.pos = from + len + 1;
                u32::from_str_radix(hex, 16)
                    .ok()
                    .filter(|_| (1..=6).contains(&hex.len()))
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.unsupported("a \\u escape that is not a character"))?
            }
            _ => return Err(self.unsupported("an escape the fast reader does not know")),
        })
    }

    /// The text of a decimal number (`-`, digits, and for floats `.`, `e`).
    fn number(&mut self) -> Result<&'de str, Unsupported> {
        self.skip()?;
        let start = self.pos;
        if self.s.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        while self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            self.pos += 1;
        }
        // `1_000`, `0x1f` and the like are left to `ron`.
        if self
            .s
            .get(self.pos)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            return Err(self.unsupported("a number the fast reader does not know"));
        }
        Ok(&self.text[start..self.pos])
    }

    fn parse<N: std::str::FromStr>(&mut self) -> Result<N, Unsupported> {
        let text = self.number()?;
        text.parse()
            .map_err(|_| self.unsupported("a number out of range"))
    }

    /// The value in `Some(…)`, after the word `Some`.
    fn some<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect(b'(')?;
        self.deeper()?;
        let value = visitor.visit_some(&mut *self)?;
        self.depth -= 1;
        self.expect(b')')?;
        Ok(value)
    }

    fn deeper(&mut self) -> Result<(), Unsupported> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.unsupported("nesting too deep"));
        }
        Ok(())
    }
}

enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Text<'de> {
    fn visit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        match self {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Owned(s) => visitor.visit_string(s),
        }
    }
}

macro_rules! numbers {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
                let n: $ty = self.parse()?;
                visitor.$visit(n)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Unsupported;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        match self.peek()? {
            Some(b'"') => self.string()?.visit(visitor),
            Some(b'[') => self.deserialize_seq(visitor),
            Some(b'(') => self.deserialize_map(visitor),
            Some(b'-' | b'0'..=b'9') => {
                let text = self.number()?;
                if let Ok(n) = text.parse::<u64>() {
                    visitor.visit_u64(n)
                } else if let Ok(n) = text.parse::<i64>() {
                    visitor.visit_i64(n)
                } else {
                    let f: f64 = text.parse().map_err(|_| self.unsupported("not a number"))?;
                    visitor.visit_f64(f)
                }
            }
            Some(_) if self.at_ident() => {
                let start = self.pos;
                match self.ident()? {
                    "true" => visitor.visit_bool(true),
                    "false" => visitor.visit_bool(false),
                    "None" => visitor.visit_none(),
                    "Some" => self.some(visitor),
                    _ => {
                        // A unit variant, or a named struct: left to `ron`.
                        self.pos = start;
                        Err(self.unsupported("a name where a value was expected"))
                    }
                }
            }
            _ => Err(self.unsupported("a value the fast reader does not know")),
        }
    }

    numbers! {
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        match self.ident()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(self.unsupported("`true` or `false` expected")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.string()?.visit(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.string()?.visit(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.skip()?;
        match self.ident()? {
            "None" => visitor.visit_none(),
            "Some" => self.some(visitor),
            _ => Err(self.unsupported("`Some(…)` or `None` expected")),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect(b'(')?;
        self.expect(b')')?;
        visitor.visit_unit()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect(b'[')?;
        self.deeper()?;
        let value = visitor.visit_seq(Items {
            de: &mut *self,
            end: b']',
        })?;
        self.depth -= 1;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.expect(b'(')?;
        self.deeper()?;
        let value = visitor.visit_map(Fields { de: &mut *self })?;
        self.depth -= 1;
        self.expect(b')')?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        self.skip()?;
        // `Name(…)`: only the struct's own name is allowed there.
        if self.at_ident() {
            let start = self.pos;
            if self.ident()? != name {
                self.pos = start;
                return Err(self.unsupported("another struct's name"));
            }
        }
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unsupported> {
        let variant = self.ident()?;
        if self.peek()? == Some(b'(') {
            return Err(self.unsupported("an enum variant with data"));
        }
        visitor.visit_enum(de::value::BorrowedStrDeserializer::new(variant))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        let name = self.ident()?;
        visitor.visit_borrowed_str(name)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unsupported> {
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit_struct newtype_struct tuple tuple_struct
    }
}

/// The items of a list.
struct Items<'a, 'de> {
    de: &'a mut Reader<'de>,
    end: u8,
}

impl<'de> de::SeqAccess<'de> for Items<'_, 'de> {
    type Error = Unsupported;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unsupported> {
        if self.de.peek()? == Some(self.end) {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.de)?;
        match self.de.peek()? {
            Some(b',') => self.de.pos += 1,
            Some(c) if c == self.end => {}
            _ => return Err(self.de.unsupported("`,` expected")),
        }
        Ok(Some(value))
    }
}

/// The `name: value` fields of a struct.
struct Fields<'a, 'de> {
    de: &'a mut Reader<'de>,
}

impl<'de> de::MapAccess<'de> for Fields<'_, 'de> {
    type Error = Unsupported;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unsupported> {
        if self.de.peek()? == Some(b')') {
            return Ok(None);
        }
        let name = self.de.ident()?;
        self.de.expect(b':')?;
        seed.deserialize(de::value::BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Unsupported> {
        let value = seed.deserialize(&mut *self.de)?;
        match self.de.peek()? {
            Some(b',') => self.de.pos += 1,
            Some(b')') => {}
            _ => return Err(self.de.unsupported("`,` expected")),
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        name: String,
        count: u32,
        #[serde(default)]
        maybe: Option<String>,
        #[serde(default)]
        kind: Kind,
        #[serde(default)]
        list: Vec<i64>,
        #[serde(default)]
        flag: bool,
    }

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        #[default]
        Plain,
        Fancy,
    }

    fn both(
        text: &str,
    ) -> (
        Result<Vec<Item>, Unsupported>,
        Result<Vec<Item>, ron::error::SpannedError>,
    ) {
        (from_str(text), ron::from_str(text))
    }

    #[test]
    fn what_it_reads_it_reads_as_ron_does() {
        let texts = [
            r#"[(name: "a", count: 1)]"#,
            "[\n  (\n    name: \"tab\\there \\\"q\\\" \\u{301}\\n\",\n    count: 7,\n    maybe: Some(\"x\"),\n    kind: fancy,\n    list: [-1, 2,],\n    flag: true,\n  ),\n]\n",
            "// a comment\n[ (name:\"é 한국어 🙂\",count:0,maybe:None) ] // end",
            r#"[Item(name: "named", count: 2)]"#,
        ];
        for text in texts {
            let (fast, slow) = both(text);
            assert_eq!(fast.expect(text), slow.expect(text), "{text}");
        }
    }

    #[test]
    fn what_it_does_not_know_it_leaves_to_ron() {
        for text in [
            r#"#![enable(implicit_some)] [(name: "a", count: 1)]"#,
            r#"[(name: r"raw", count: 1)]"#,
            "[(name: \"a\", count: 0x1f)]",
            "[(name: \"a\", count: 1_000)]",
            "[/* block */ (name: \"a\", count: 1)]",
            "[(name: \"a\", count: 1)] trailing",
            "[(name: \"a\", count: 99999999999)]",
            "[Other(name: \"a\", count: 1)]",
            "[(name: \"a\", count: 1, kind: fancy(1))]",
            "[(name: \"a\\q\", count: 1)]",
        ] {
            assert!(from_str::<Vec<Item>>(text).is_err(), "{text}");
        }
        // Unknown fields are refused by the type, as with `ron`.
        assert!(from_str::<Vec<Item>>(r#"[(name: "a", count: 1, extra: 2)]"#).is_err());
    }
}
