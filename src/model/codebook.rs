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
    /// The parent tag's id, for a tag hierarchy ("Claim" > "Statistic").
    #[serde(default)]
    pub parent: Option<TagId>,
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

    /// The full path of a tag, parents first: `Claim/Statistic`.
    pub fn path(&self, id: &str) -> String {
        let mut parts = vec![self.name_of(id).to_owned()];
        let mut current = self.tag(id).and_then(|t| t.parent.as_deref());
        while let Some(p) = current {
            if parts.len() > self.tags.len() {
                break; // a cycle; `validate` rejects those
            }
            parts.push(self.name_of(p).to_owned());
            current = self.tag(p).and_then(|t| t.parent.as_deref());
        }
        parts.reverse();
        parts.join("/")
    }

    /// Nesting depth of a tag (0 for a top-level tag).
    pub fn depth(&self, id: &str) -> usize {
        self.path(id).matches('/').count()
    }

    /// A tag and all its descendants.
    pub fn with_descendants(&self, id: &str) -> Vec<TagId> {
        let mut out = vec![id.to_owned()];
        let mut i = 0;
        while i < out.len() && out.len() <= self.tags.len() {
            let parent = out[i].clone();
            out.extend(
                self.tags
                    .iter()
                    .filter(|t| t.parent.as_deref() == Some(parent.as_str()))
                    .map(|t| t.id.clone()),
            );
            i += 1;
        }
        out
    }

    /// The tag a path of names leads to (`["Claim", "Statistic"]`), matching each level's name
    /// without regard to case under the previous level's tag; `None` when a level is missing.
    pub fn find_path(&self, names: &[&str]) -> Option<&Tag> {
        let mut parent: Option<&str> = None;
        let mut found = None;
        for name in names {
            let tag = self.tags.iter().find(|t| {
                t.parent.as_deref() == parent && t.name.trim().eq_ignore_ascii_case(name.trim())
            })?;
            parent = Some(tag.id.as_str());
            found = Some(tag);
        }
        found
    }

    /// Makes sure the tags of a path of names exist, adding the missing levels (each under the
    /// one before, with a fresh id and the next colour of [`PALETTE`] unless `color` is given
    /// for the last); returns the id of the last level and how many tags were added. An empty
    /// path adds nothing and returns `None`.
    pub fn ensure_path(
        &mut self,
        names: &[&str],
        color: Option<Rgb>,
        description: &str,
    ) -> Option<(TagId, usize)> {
        let mut parent: Option<TagId> = None;
        let mut added = 0;
        let names: Vec<&str> = names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .collect();
        for (i, name) in names.iter().enumerate() {
            let last = i + 1 == names.len();
            let existing = self
                .tags
                .iter()
                .find(|t| t.parent == parent && t.name.trim().eq_ignore_ascii_case(name))
                .map(|t| t.id.clone());
            let id = match existing {
                Some(id) => id,
                None => {
                    let id = self.fresh_id(name);
                    let colour = match (last, color) {
                        (true, Some(c)) => c,
                        _ => PALETTE[self.tags.len() % PALETTE.len()],
                    };
                    self.tags.push(Tag {
                        id: id.clone(),
                        name: (*name).to_owned(),
                        color: colour,
                        hotkey: None,
                        description: if last {
                            description.to_owned()
                        } else {
                            String::new()
                        },
                        parent: parent.clone(),
                    });
                    added += 1;
                    id
                }
            };
            parent = Some(id);
        }
        parent.map(|id| (id, added))
    }

    /// An id for a new tag named `name`: its slug (lowercase letters and digits, `_` for the
    /// rest), with `_2`, `_3`… when taken.
    pub fn fresh_id(&self, name: &str) -> TagId {
        let mut slug: String = name
            .trim()
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        if slug.is_empty() {
            slug = "tag".to_owned();
        }
        // One pass over the ids: the slug itself, and the highest `slug_N` taken (so that many
        // tags of one name cost a pass each, not a search each).
        let mut taken = false;
        let mut highest = 1;
        for t in &self.tags {
            if t.id == slug {
                taken = true;
            } else if let Some(n) =
                t.id.strip_prefix(slug.as_str())
                    .and_then(|rest| rest.strip_prefix('_'))
                    .and_then(|n| n.parse::<usize>().ok())
            {
                highest = highest.max(n);
            }
        }
        if taken {
            format!("{slug}_{}", highest + 1)
        } else {
            slug
        }
    }

    /// Checks the rules a codebook file must keep: unique ids, hotkeys 1–9 used once, parents
    /// that exist and no cycles.
    pub fn validate(&self) -> Result<(), InvalidCodebook> {
        if self.tags.is_empty() {
            return Err(InvalidCodebook::NoTags);
        }
        for (i, t) in self.tags.iter().enumerate() {
            if t.id.trim().is_empty() {
                return Err(InvalidCodebook::EmptyId { number: i + 1 });
            }
            if self.tags[..i].iter().any(|o| o.id == t.id) {
                return Err(InvalidCodebook::DuplicateId { id: t.id.clone() });
            }
            if let Some(k) = t.hotkey {
                if !(1..=9).contains(&k) {
                    return Err(InvalidCodebook::HotkeyOutOfRange {
                        id: t.id.clone(),
                        hotkey: k,
                    });
                }
                if self.tags[..i].iter().any(|o| o.hotkey == Some(k)) {
                    return Err(InvalidCodebook::DuplicateHotkey { hotkey: k });
                }
            }
        }
        for t in &self.tags {
            let mut seen = vec![t.id.as_str()];
            let mut current = t.parent.as_deref();
            while let Some(p) = current {
                let Some(parent) = self.tag(p) else {
                    return Err(InvalidCodebook::UnknownParent {
                        id: t.id.clone(),
                        parent: p.to_owned(),
                    });
                };
                if seen.contains(&p) {
                    return Err(InvalidCodebook::Cycle { id: t.id.clone() });
                }
                seen.push(p);
                current = parent.parent.as_deref();
            }
        }
        Ok(())
    }
}

/// Colours given to tags that arrive without one (imports that create tags): distinct, and
/// readable as highlights in both themes.
pub const PALETTE: [Rgb; 8] = [
    Rgb([0x1f, 0x77, 0xb4]),
    Rgb([0xff, 0x7f, 0x0e]),
    Rgb([0x2c, 0xa0, 0x2c]),
    Rgb([0xd6, 0x27, 0x28]),
    Rgb([0x94, 0x67, 0xbd]),
    Rgb([0x8c, 0x56, 0x4b]),
    Rgb([0xe3, 0x77, 0xc2]),
    Rgb([0x17, 0xbe, 0xcf]),
];

/// A rule of [`Codebook::validate`] that a codebook breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidCodebook {
    #[error("the codebook has no tags")]
    NoTags,
    /// `number` counts from 1.
    #[error("tag {number} has an empty id")]
    EmptyId { number: usize },
    #[error("tag id `{id}` is used twice")]
    DuplicateId { id: TagId },
    #[error("tag `{id}` has hotkey {hotkey}; hotkeys are 1–9")]
    HotkeyOutOfRange { id: TagId, hotkey: u8 },
    #[error("hotkey {hotkey} is used twice")]
    DuplicateHotkey { hotkey: u8 },
    #[error("tag `{id}` has parent `{parent}`, which is not in the codebook")]
    UnknownParent { id: TagId, parent: TagId },
    #[error("tag `{id}` is its own ancestor")]
    Cycle { id: TagId },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_found_and_added_level_by_level() {
        let mut cb = Codebook {
            tags: vec![Tag {
                id: "claim".into(),
                name: "Claim".into(),
                color: Rgb([0, 0, 0]),
                hotkey: None,
                description: String::new(),
                parent: None,
            }],
        };
        let (id, added) = cb
            .ensure_path(&["claim", "Statistic"], Some(Rgb([1, 2, 3])), "numbers")
            .expect("a path");
        assert_eq!((id.as_str(), added), ("statistic", 1));
        assert_eq!(cb.path("statistic"), "Claim/Statistic");
        assert_eq!(cb.tag("statistic").map(|t| t.color), Some(Rgb([1, 2, 3])));
        assert_eq!(
            cb.find_path(&["CLAIM", "statistic"]).map(|t| t.id.as_str()),
            Some("statistic")
        );
        assert!(
            cb.find_path(&["Statistic"]).is_none(),
            "only under its parent"
        );
        let (again, added) = cb
            .ensure_path(&["Claim", "Statistic"], None, "")
            .expect("path");
        assert_eq!((again.as_str(), added), ("statistic", 0));
        // The same name elsewhere is another tag with another id.
        let (other, added) = cb
            .ensure_path(&["Other", "Statistic"], None, "")
            .expect("path");
        assert_eq!((other.as_str(), added), ("statistic_2", 2));
        assert!(cb.ensure_path(&[" "], None, "").is_none());
        cb.validate().expect("still valid");
    }

    #[test]
    fn many_tags_of_one_name_get_distinct_ids() {
        let mut cb = Codebook { tags: Vec::new() };
        for k in 0..2_000 {
            let parent = format!("Group {k}");
            cb.ensure_path(&[parent.as_str(), "Other"], None, "")
                .expect("a path");
        }
        assert_eq!(cb.tags.len(), 4_000);
        assert!(cb.tag("other_2000").is_some());
        cb.validate().expect("unique ids");
    }

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
            parent: None,
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

    #[test]
    fn tags_nest() {
        let tag = |id: &str, parent: Option<&str>| Tag {
            id: id.into(),
            name: id.to_uppercase(),
            color: Rgb([0, 0, 0]),
            hotkey: None,
            description: String::new(),
            parent: parent.map(Into::into),
        };
        let cb = Codebook {
            tags: vec![
                tag("claim", None),
                tag("stat", Some("claim")),
                tag("pct", Some("stat")),
                tag("src", None),
            ],
        };
        assert!(cb.validate().is_ok());
        assert_eq!(cb.path("pct"), "CLAIM/STAT/PCT");
        assert_eq!(cb.depth("pct"), 2);
        assert_eq!(cb.with_descendants("claim"), ["claim", "stat", "pct"]);
        let orphan = Codebook {
            tags: vec![tag("a", Some("zzz"))],
        };
        assert!(orphan.validate().is_err());
        let cycle = Codebook {
            tags: vec![tag("a", Some("b")), tag("b", Some("a"))],
        };
        let err = cycle.validate().expect_err("cycle");
        assert!(matches!(err, InvalidCodebook::Cycle { .. }), "{err}");
        assert!(err.to_string().contains("ancestor"), "{err}");
    }
}
