//! The codebook: the tags an analyst applies, with colour, hotkey and description.

use serde::{Deserialize, Serialize};

/// A tag's stable id (a short slug such as `claim`). Annotations reference tags by id, so a
/// tag can be renamed without touching a single annotation.
pub type TagId = String;

/// A colour written as `#rrggbb` in codebook files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    pub fn parse(hex: &str) -> Option<Self> {
        let h = hex.strip_prefix('#')?;
        if h.len() != 6 || !h.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
        Some(Self([byte(0)?, byte(2)?, byte(4)?]))
    }

    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

impl Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Rgb::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a #rrggbb colour: {s}")))
    }
}

/// One tag of the codebook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub color: Rgb,
    /// The digit key (1–9) that applies this tag to the selection.
    #[serde(default)]
    pub hotkey: Option<u8>,
    #[serde(default)]
    pub description: String,
}

/// The ordered list of tags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    pub tags: Vec<Tag>,
}

impl Codebook {
    pub fn tag(&self, id: &str) -> Option<&Tag> {
        self.tags.iter().find(|t| t.id == id)
    }

    /// Finds a tag by id or by name, ignoring case (what a user types on the command line).
    pub fn find(&self, id_or_name: &str) -> Option<&Tag> {
        self.tag(id_or_name).or_else(|| {
            self.tags.iter().find(|t| {
                t.name.eq_ignore_ascii_case(id_or_name) || t.id.eq_ignore_ascii_case(id_or_name)
            })
        })
    }

    pub fn by_hotkey(&self, digit: u8) -> Option<&Tag> {
        self.tags.iter().find(|t| t.hotkey == Some(digit))
    }

    /// The display name of a tag id; an id the codebook does not know is shown as itself.
    pub fn name_of<'a>(&'a self, id: &'a str) -> &'a str {
        self.tag(id).map_or(id, |t| t.name.as_str())
    }

    /// Checks the rules a codebook file must keep: unique ids and hotkeys 1–9 used once.
    pub fn validate(&self) -> Result<(), String> {
        if self.tags.is_empty() {
            return Err("the codebook has no tags".into());
        }
        for (i, t) in self.tags.iter().enumerate() {
            if t.id.trim().is_empty() {
                return Err(format!("tag {} has an empty id", i + 1));
            }
            if self.tags[..i].iter().any(|o| o.id == t.id) {
                return Err(format!("tag id `{}` is used twice", t.id));
            }
            if let Some(k) = t.hotkey {
                if !(1..=9).contains(&k) {
                    return Err(format!("tag `{}` has hotkey {k}; hotkeys are 1–9", t.id));
                }
                if self.tags[..i].iter().any(|o| o.hotkey == Some(k)) {
                    return Err(format!("hotkey {k} is used twice"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_round_trip_as_hex() {
        let c = Rgb::parse("#1f77B4").expect("valid colour");
        assert_eq!(c.0, [0x1f, 0x77, 0xb4]);
        assert_eq!(c.to_hex(), "#1f77b4");
        assert!(Rgb::parse("1f77b4").is_none());
        assert!(Rgb::parse("#1f77").is_none());
    }

    #[test]
    fn validate_rejects_duplicates() {
        let tag = |id: &str, k| Tag {
            id: id.into(),
            name: id.into(),
            color: Rgb([0, 0, 0]),
            hotkey: k,
            description: String::new(),
        };
        let ok = Codebook {
            tags: vec![tag("a", Some(1)), tag("b", Some(2))],
        };
        assert!(ok.validate().is_ok());
        assert_eq!(ok.find("B").map(|t| t.id.as_str()), Some("b"));
        let dup = Codebook {
            tags: vec![tag("a", Some(1)), tag("a", None)],
        };
        assert!(dup.validate().is_err());
        let key = Codebook {
            tags: vec![tag("a", Some(1)), tag("b", Some(1))],
        };
        assert!(key.validate().is_err());
    }
}
