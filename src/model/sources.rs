//! The source registry: the speakers and outlets claims are attributed to, with aliases and a
//! default reliability grade. One per folder.

use serde::{Deserialize, Serialize};

use super::claim::Reliability;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The canonical name, e.g. "Korean Central News Agency".
    pub name: String,
    /// Other names for the same source, e.g. "KCNA".
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The reliability new claims attributed to this source start with.
    #[serde(default)]
    pub reliability: Option<Reliability>,
    #[serde(default)]
    pub description: String,
}

impl Source {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.trim().to_owned(),
            aliases: Vec::new(),
            reliability: None,
            description: String::new(),
        }
    }

    /// True if `name` is this source's name or one of its aliases (ignoring case).
    pub fn answers_to(&self, name: &str) -> bool {
        let n = name.trim();
        self.name.eq_ignore_ascii_case(n) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(n))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceRegistry {
    pub sources: Vec<Source>,
}

impl SourceRegistry {
    /// The source with this name or alias.
    pub fn resolve(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.answers_to(name))
    }

    /// The canonical name for a typed name: the registry's name if it knows it, else the name
    /// as typed (trimmed).
    pub fn canonical(&self, name: &str) -> String {
        self.resolve(name)
            .map_or_else(|| name.trim().to_owned(), |s| s.name.clone())
    }

    /// Names and aliases must be unique across the registry.
    pub fn validate(&self) -> Result<(), InvalidRegistry> {
        let mut seen: Vec<String> = Vec::new();
        for s in &self.sources {
            if s.name.trim().is_empty() {
                return Err(InvalidRegistry::EmptyName);
            }
            for n in std::iter::once(&s.name).chain(&s.aliases) {
                let key = n.trim().to_lowercase();
                if seen.contains(&key) {
                    return Err(InvalidRegistry::DuplicateName {
                        name: n.trim().to_owned(),
                    });
                }
                seen.push(key);
            }
        }
        Ok(())
    }
}

/// A rule of [`SourceRegistry::validate`] that a registry breaks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidRegistry {
    #[error("a source has an empty name")]
    EmptyName,
    /// A name or alias that another source (or the same one) already has, ignoring case.
    #[error("the name `{name}` is used twice")]
    DuplicateName { name: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_the_canonical_name() {
        let mut kcna = Source::named("Korean Central News Agency");
        kcna.aliases.push("KCNA".into());
        kcna.reliability = Some(Reliability::C);
        let reg = SourceRegistry {
            sources: vec![kcna],
        };
        assert_eq!(reg.canonical("kcna"), "Korean Central News Agency");
        assert_eq!(reg.canonical(" India Today "), "India Today");
        assert_eq!(
            reg.resolve("KCNA").and_then(|s| s.reliability),
            Some(Reliability::C)
        );
        assert!(reg.validate().is_ok());
        let mut dup = reg.clone();
        dup.sources.push(Source::named("kcna"));
        assert_eq!(
            dup.validate(),
            Err(InvalidRegistry::DuplicateName {
                name: "kcna".into()
            })
        );
    }

    #[test]
    fn attributing_a_claim_takes_the_canonical_name_and_the_default_grade_once() {
        let mut kcna = Source::named("Korean Central News Agency");
        kcna.aliases.push("KCNA".into());
        kcna.reliability = Some(Reliability::C);
        let reg = SourceRegistry {
            sources: vec![kcna],
        };
        let mut record = crate::model::ClaimRecord::default();
        record.attribute_to(" kcna ", &reg);
        assert_eq!(
            (record.attributed_to.as_deref(), record.reliability),
            (Some("Korean Central News Agency"), Some(Reliability::C))
        );
        // A grade the analyst gave is kept; an unknown name is taken as typed.
        record.reliability = Some(Reliability::A);
        record.attribute_to("Park", &reg);
        assert_eq!(
            (record.attributed_to.as_deref(), record.reliability),
            (Some("Park"), Some(Reliability::A))
        );
        record.attribute_to("  ", &reg);
        assert_eq!(record.attributed_to, None);
    }
}
