//! QDA-XML (REFI-QDA's `project.qde` and `.qdc`) read into plain structs: the elements the
//! import uses, with every GUID in lowercase (MAXQDA writes them in uppercase, QualCoder and
//! Claimmark in lowercase; the standard does not say). Pure: no files, no egui.
//!
//! The document is first read into a small element tree ([`Element`]) with `quick_xml`:
//! namespaces are ignored (only local names count, as QualCoder's and MAXQDA's projects use the
//! default namespace and some tools none), a DTD's entities are never expanded (only XML's five
//! and character references), line ends in text are normalised as XML 1.0 says, and depth and
//! element count are bounded so that no document can exhaust the stack or memory.

use std::collections::{BTreeMap, HashMap};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::import::docx::entity;
use crate::model::Rgb;

/// Elements nested deeper than this are refused (codes nest; nothing else goes deep).
pub const MAX_DEPTH: usize = 256;
/// More elements than this are refused (a project with a million codings has some 3 million).
pub const MAX_ELEMENTS: usize = 10_000_000;

/// Why a document is not QDA-XML the import can read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("not well-formed XML (near byte {at}): {message}")]
    Syntax { at: u64, message: String },
    #[error("elements are nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
    #[error("more than {MAX_ELEMENTS} elements")]
    TooMany,
    #[error("no root element")]
    NoRoot,
    #[error("the root element is <{found}>, not <{expected}>")]
    WrongRoot {
        found: String,
        expected: &'static str,
    },
    #[error("not UTF-8 (nor UTF-16 with a byte-order mark)")]
    Encoding,
}

/// One element: its local name, attributes (local names, values unescaped and normalised),
/// its own character data, and its children in order.
#[derive(Clone, Debug, Default)]
pub struct Element {
    pub name: String,
    attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// An attribute's value by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The children with this local name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first child with this local name.
    pub fn first(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child with this local name (empty when there is none).
    fn child_text(&self, name: &str) -> String {
        self.first(name).map(|e| e.text.clone()).unwrap_or_default()
    }
}

/// Bytes of an XML document as text: UTF-8 (a byte-order mark dropped) or UTF-16 with one.
pub fn decode(bytes: &[u8]) -> Result<String, XmlError> {
    crate::import::docx::decode_xml_bytes(bytes).ok_or(XmlError::Encoding)
}

/// Parses a document into its root element.
pub fn parse(xml: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let mut count = 0usize;
    let syntax = |reader: &Reader<&[u8]>, message: String| XmlError::Syntax {
        at: reader.buffer_position(),
        message,
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| syntax(&reader, e.to_string()))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if root.is_some() && stack.is_empty() => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                return Err(syntax(&reader, format!("a second root element <{name}>")));
            }
            Event::Start(e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(XmlError::TooMany);
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                stack.push(element(&e));
            }
            Event::Empty(e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(XmlError::TooMany);
                }
                let el = element(&e);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(syntax(&reader, "an end tag without a start".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t
                        .xml10_content()
                        .map_err(|e| syntax(&reader, e.to_string()))?;
                    top.text.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t
                        .xml10_content()
                        .map_err(|e| syntax(&reader, e.to_string()))?;
                    top.text.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    let c = entity(&r)
                        .ok_or_else(|| syntax(&reader, "an unknown entity reference".into()))?;
                    top.text.push(c);
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(syntax(
            &reader,
            "the document ends inside an element".into(),
        ));
    }
    root.ok_or(XmlError::NoRoot)
}

fn element(e: &BytesStart) -> Element {
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (key, value)
        })
        .collect();
    Element {
        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        attrs,
        ..Element::default()
    }
}

/// A GUID as the import compares them: trimmed, without braces, lowercase.
pub fn guid(s: &str) -> String {
    s.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_lowercase()
}

/// A project (`project.qde`).
#[derive(Clone, Debug, Default)]
pub struct Project {
    pub name: String,
    /// The program that wrote it ("MAXQDA 2022 (Release 22.4.0)", "QualCoder 3.6", "Claimmark 0.9").
    pub origin: String,
    /// User GUID → name.
    pub users: HashMap<String, String>,
    pub codes: Vec<Code>,
    pub sources: Vec<Source>,
    /// Sources that are not text (pictures, audio, video, PDFs without a text
    /// representation): kind and name.
    pub other_sources: Vec<(&'static str, String)>,
    /// Note GUID → note (memos, journals; NVivo's and QualCoder's notes on text).
    pub notes: BTreeMap<String, Note>,
    pub links: Vec<LinkElement>,
}

/// A code (or a category: `isCodable="false"`), with its children.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Code {
    pub guid: String,
    pub name: String,
    pub codable: bool,
    pub color: Option<Rgb>,
    pub description: String,
    pub children: Vec<Code>,
}

/// A text source (`TextSource`, or a `PDFSource`'s text `Representation`).
#[derive(Clone, Debug, Default)]
pub struct Source {
    pub guid: String,
    pub name: String,
    pub plain_text_path: Option<String>,
    pub rich_text_path: Option<String>,
    /// Inline `PlainTextContent`.
    pub content: Option<String>,
    pub selections: Vec<Selection>,
}

/// A `PlainTextSelection`: the positions as written, and what codes it.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub guid: String,
    pub name: String,
    /// `startPosition` and `endPosition` as written (parsed by the import, which reports them).
    pub start: String,
    pub end: String,
    pub creating_user: Option<String>,
    pub created: Option<String>,
    pub modifying_user: Option<String>,
    pub modified: Option<String>,
    pub description: String,
    /// The GUIDs of the codes of its `Coding`s.
    pub codes: Vec<String>,
    pub note_refs: Vec<String>,
}

/// A `Note` (memo): its text inline or in a file.
#[derive(Clone, Debug, Default)]
pub struct Note {
    pub guid: String,
    pub name: String,
    pub content: Option<String>,
    pub plain_text_path: Option<String>,
    pub description: String,
    /// Notes that are on a stretch of text rather than about something (QualCoder's
    /// annotations): how many selections they carry.
    pub selections: usize,
}

/// A `Link` between two objects (`name` is its kind).
#[derive(Clone, Debug, Default)]
pub struct LinkElement {
    pub name: String,
    pub origin: String,
    pub target: String,
}

/// Reads a `project.qde`'s root.
pub fn project(root: &Element) -> Result<Project, XmlError> {
    if root.name != "Project" {
        return Err(XmlError::WrongRoot {
            found: root.name.clone(),
            expected: "Project",
        });
    }
    let mut p = Project {
        name: root.attr("name").unwrap_or_default().to_owned(),
        origin: root.attr("origin").unwrap_or_default().to_owned(),
        ..Project::default()
    };
    for user in root.all("Users").flat_map(|u| u.all("User")) {
        if let Some(g) = user.attr("guid") {
            let name = user.attr("name").or(user.attr("id")).unwrap_or_default();
            p.users.insert(guid(g), name.trim().to_owned());
        }
    }
    if let Some(codes) = root.first("CodeBook").and_then(|c| c.first("Codes")) {
        p.codes = codes.all("Code").map(code).collect();
    }
    for sources in root.all("Sources") {
        for s in &sources.children {
            match s.name.as_str() {
                "TextSource" => p.sources.push(source(s, None)),
                "PDFSource" => match s.first("Representation") {
                    Some(r) => p.sources.push(source(r, s.attr("name"))),
                    None => p.other_sources.push(("PDF", name_of(s))),
                },
                "PictureSource" => p.other_sources.push(("picture", name_of(s))),
                "AudioSource" => p.other_sources.push(("audio", name_of(s))),
                "VideoSource" => p.other_sources.push(("video", name_of(s))),
                _ => {}
            }
        }
    }
    for n in root.all("Notes").flat_map(|n| n.all("Note")) {
        let note = Note {
            guid: guid(n.attr("guid").unwrap_or_default()),
            name: n.attr("name").unwrap_or_default().trim().to_owned(),
            content: n.first("PlainTextContent").map(|c| c.text.clone()),
            plain_text_path: n.attr("plainTextPath").map(str::to_owned),
            description: n.child_text("Description"),
            selections: n.all("PlainTextSelection").count(),
        };
        p.notes.insert(note.guid.clone(), note);
    }
    for l in root.all("Links").flat_map(|l| l.all("Link")) {
        p.links.push(LinkElement {
            name: l.attr("name").unwrap_or_default().trim().to_owned(),
            origin: guid(l.attr("originGUID").unwrap_or_default()),
            target: guid(l.attr("targetGUID").unwrap_or_default()),
        });
    }
    Ok(p)
}

/// Reads a `.qdc` codebook's root: its codes.
pub fn codebook(root: &Element) -> Result<Vec<Code>, XmlError> {
    if root.name != "CodeBook" {
        return Err(XmlError::WrongRoot {
            found: root.name.clone(),
            expected: "CodeBook",
        });
    }
    Ok(root
        .first("Codes")
        .map(|c| c.all("Code").map(code).collect())
        .unwrap_or_default())
}

fn name_of(e: &Element) -> String {
    e.attr("name").unwrap_or_default().to_owned()
}

fn code(e: &Element) -> Code {
    Code {
        guid: guid(e.attr("guid").unwrap_or_default()),
        name: e.attr("name").unwrap_or_default().trim().to_owned(),
        // The standard makes `isCodable` required; a code without it is taken as codable.
        codable: !matches!(
            e.attr("isCodable").map(str::trim),
            Some("false" | "0" | "False")
        ),
        color: e.attr("color").and_then(|c| Rgb::parse(c.trim())),
        description: e.child_text("Description"),
        children: e.all("Code").map(code).collect(),
    }
}

fn source(e: &Element, name: Option<&str>) -> Source {
    Source {
        guid: guid(e.attr("guid").unwrap_or_default()),
        name: name.or(e.attr("name")).unwrap_or_default().to_owned(),
        plain_text_path: e.attr("plainTextPath").map(str::to_owned),
        rich_text_path: e.attr("richTextPath").map(str::to_owned),
        content: e.first("PlainTextContent").map(|c| c.text.clone()),
        selections: e.all("PlainTextSelection").map(selection).collect(),
    }
}

fn selection(e: &Element) -> Selection {
    let opt = |k: &str| {
        e.attr(k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    Selection {
        guid: guid(e.attr("guid").unwrap_or_default()),
        name: e.attr("name").unwrap_or_default().to_owned(),
        start: e.attr("startPosition").unwrap_or_default().to_owned(),
        end: e.attr("endPosition").unwrap_or_default().to_owned(),
        creating_user: opt("creatingUser").map(|g| guid(&g)),
        created: opt("creationDateTime"),
        modifying_user: opt("modifyingUser").map(|g| guid(&g)),
        modified: opt("modifiedDateTime"),
        description: e.child_text("Description"),
        codes: e
            .all("Coding")
            .flat_map(|c| c.all("CodeRef"))
            .filter_map(|r| r.attr("targetGUID"))
            .map(guid)
            .collect(),
        note_refs: e
            .all("NoteRef")
            .filter_map(|r| r.attr("targetGUID"))
            .map(guid)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_reads_with_any_guid_case_and_nested_codes() {
        let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="MAXQDA 2022">
  <Users><User name="Francesca" guid="2C5846FE-C0B7-4124-9256-794A5742CEBA"/></Users>
  <CodeBook><Codes>
    <Code guid="{AA}" name="Cat" isCodable="false"><Description>a &amp; b&#10;c</Description>
      <Code guid="BB" name="Child" isCodable="true" color="#2364A2"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="S1" name="RTF" plainTextPath="internal://S1.txt">
      <PlainTextSelection endPosition="9" startPosition="4" name="a&#x0A;b" guid="X1"
          creatingUser="2C5846FE-C0B7-4124-9256-794A5742CEBA">
        <Coding guid="C1"><CodeRef targetGUID="BB"/></Coding>
        <NoteRef targetGUID="N1"/>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="P" name="photo" path="internal://P.jpg"/>
  </Sources>
  <Notes><Note guid="N1" name="memo"><PlainTextContent>line 1&#13;&#10;line 2</PlainTextContent></Note></Notes>
  <Links><Link guid="L" name="supports" originGUID="X1" targetGUID="X2"/></Links>
</Project>"##;
        let p = project(&parse(xml).expect("parses")).expect("a project");
        assert_eq!(p.origin, "MAXQDA 2022");
        assert_eq!(
            p.users
                .get("2c5846fe-c0b7-4124-9256-794a5742ceba")
                .map(String::as_str),
            Some("Francesca")
        );
        assert_eq!(p.codes.len(), 1);
        assert!(!p.codes[0].codable);
        assert_eq!(p.codes[0].guid, "aa");
        assert_eq!(p.codes[0].description, "a & b\nc");
        assert_eq!(p.codes[0].children[0].color, Rgb::parse("#2364a2"));
        let sel = &p.sources[0].selections[0];
        assert_eq!((sel.start.as_str(), sel.end.as_str()), ("4", "9"));
        assert_eq!(sel.codes, ["bb"]);
        assert_eq!(sel.note_refs, ["n1"]);
        assert_eq!(
            sel.creating_user.as_deref(),
            Some("2c5846fe-c0b7-4124-9256-794a5742ceba")
        );
        assert_eq!(p.other_sources, [("picture", "photo".to_owned())]);
        // A character reference is a character, not a line end to normalise.
        assert_eq!(
            p.notes.get("n1").and_then(|n| n.content.as_deref()),
            Some("line 1\r\nline 2")
        );
        assert_eq!(p.links[0].origin, "x1");
    }

    #[test]
    fn bad_documents_are_refused_with_a_reason() {
        assert!(matches!(parse("<a><b></a>"), Err(XmlError::Syntax { .. })));
        assert!(matches!(parse(""), Err(XmlError::NoRoot)));
        assert!(matches!(parse("<a/><b/>"), Err(XmlError::Syntax { .. })));
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(parse(&deep).map(|_| ()), Err(XmlError::TooDeep));
        let root = parse("<Project name='x'/>").expect("parses");
        assert!(matches!(
            codebook(&root),
            Err(XmlError::WrongRoot {
                expected: "CodeBook",
                ..
            })
        ));
        // A DTD's entities are not expanded.
        let bomb = "<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\">]><a>&x;</a>";
        assert!(parse(bomb).is_err());
        assert_eq!(decode(b"\xef\xbb\xbf<a/>").as_deref(), Ok("<a/>"));
        assert_eq!(decode(b"<a>\xff</a>"), Err(XmlError::Encoding));
    }
}
