//! The words that signal an attribution, and the words that make up who said it.
//!
//! Cues are matched on lower-cased words, whole, one to six words long ("according to",
//! "a déclaré", "по словам"; Han and kana count one word per character, "述べた" is three),
//! without Arabic vowel marks and without a joined Arabic "and" (وأضافت) or French inverted
//! pronoun (ajoute-t-elle). English is the fullest list; French, German, Spanish, Portuguese,
//! Russian, Arabic, Korean, Japanese and Chinese have their common reporting verbs, roles and
//! "according to".

/// Reporting verbs and phrases, lower case, each a list of words.
const SPEECH: &[&[&str]] = &[
    // English
    &["went", "on", "to", "say"],
    &["goes", "on", "to", "say"],
    &["said"],
    &["says"],
    &["say"],
    &["told"],
    &["tells"],
    &["added"],
    &["adds"],
    &["stated"],
    &["states"],
    &["warned"],
    &["warns"],
    &["denied"],
    &["denies"],
    &["claimed"],
    &["claims"],
    &["insisted"],
    &["insists"],
    &["argued"],
    &["argues"],
    &["explained"],
    &["explains"],
    &["noted"],
    &["notes"],
    &["asked"],
    &["replied"],
    &["wrote"],
    &["writes"],
    &["tweeted"],
    &["posted"],
    &["announced"],
    &["announces"],
    &["declared"],
    &["declares"],
    &["stressed"],
    &["stresses"],
    &["urged"],
    &["acknowledged"],
    &["admitted"],
    &["admits"],
    &["suggested"],
    &["suggests"],
    &["predicted"],
    &["predicts"],
    &["reported"],
    &["reports"],
    &["confirmed"],
    &["confirms"],
    &["alleged"],
    &["alleges"],
    &["maintained"],
    &["maintains"],
    &["recalled"],
    &["believes"],
    &["believed"],
    &["estimated"],
    &["estimates"],
    &["concluded"],
    &["complained"],
    &["promised"],
    &["pledged"],
    &["vowed"],
    &["threatened"],
    &["contended"],
    &["countered"],
    &["conceded"],
    &["emphasized"],
    &["emphasised"],
    &["observed"],
    &["remarked"],
    &["indicated"],
    &["revealed"],
    &["disclosed"],
    &["testified"],
    &["quipped"],
    &["shouted"],
    &["wondered"],
    &["estimate"],
    &["warn"],
    &["argue"],
    &["claim"],
    &["insist"],
    &["predict"],
    &["believe"],
    &["write"],
    &["deny"],
    &["admit"],
    &["report"],
    &["confirm"],
    // French
    &["a", "déclaré"],
    &["a", "dit"],
    &["a", "affirmé"],
    &["a", "expliqué"],
    &["a", "ajouté"],
    &["a", "indiqué"],
    &["a", "estimé"],
    &["a", "souligné"],
    &["a", "assuré"],
    &["a", "averti"],
    &["déclare"],
    &["affirme"],
    &["explique"],
    &["ajoute"],
    &["estime"],
    &["souligne"],
    &["dit"],
    &["affirme"],
    &["explique"],
    &["ajoute"],
    &["confie"],
    &["assure"],
    &["rappelle"],
    &["précise"],
    &["indique"],
    &["reconnaît"],
    &["juge"],
    &["insiste"],
    &["répond"],
    &["dénonce"],
    &["estiment"],
    &["affirment"],
    &["contestent"],
    &["rappellent"],
    &["dénoncent"],
    &["assurent"],
    &["jugent"],
    &["expliquent"],
    &["soulignent"],
    &["craignent"],
    // German
    &["sagte"],
    &["sagt"],
    &["erklärte"],
    &["erklärt"],
    &["betonte"],
    &["betont"],
    &["warnte"],
    &["meinte"],
    &["fügte", "hinzu"],
    &["teilte", "mit"],
    &["teilte"],
    &["kündigte"],
    &["berichtete"],
    &["bezeichnete"],
    &["schätzt"],
    &["schätzte"],
    &["versicherte"],
    &["kritisierte"],
    &["forderte"],
    &["hieß"],
    &["bestätigte"],
    &["sagten"],
    &["erklärten"],
    &["warnen"],
    &["warnt"],
    &["betonten"],
    &["berichtet"],
    // Spanish
    &["dijo"],
    &["afirmó"],
    &["declaró"],
    &["explicó"],
    &["aseguró"],
    &["señaló"],
    &["indicó"],
    &["añadió"],
    &["advirtió"],
    &["sostuvo"],
    &["escribió"],
    &["anunció"],
    &["informó"],
    &["acusó"],
    &["aseguran"],
    &["sostienen"],
    &["afirman"],
    &["dicen"],
    &["señalan"],
    &["explican"],
    &["advierten"],
    &["denunció"],
    &["reconoció"],
    &["insistió"],
    &["recordó"],
    &["respondió"],
    &["replicó"],
    &["confirmó"],
    &["publicó"],
    &["calificó"],
    &["subrayó"],
    &["destacó"],
    &["admitió"],
    // Portuguese
    &["disse"],
    &["afirmou"],
    &["declarou"],
    &["explicou"],
    &["acrescentou"],
    &["garantiu"],
    &["alertou"],
    &["informou"],
    &["contou"],
    &["prometeu"],
    &["acusou"],
    &["rejeitou"],
    &["anunciou"],
    &["considerou"],
    &["alegam"],
    &["noticiou"],
    &["sublinhou"],
    &["revelou"],
    &["admitiu"],
    &["confirmou"],
    &["referiu"],
    &["avançou"],
    &["avança"],
    &["escreveu"],
    &["brincou"],
    &["lembrou"],
    &["recordou"],
    &["dizem"],
    &["afirmam"],
    &["garantem"],
    // Russian
    &["сказал"],
    &["сказала"],
    &["сказали"],
    &["заявил"],
    &["заявила"],
    &["заявили"],
    &["сообщил"],
    &["сообщила"],
    &["отметил"],
    &["отметила"],
    &["подчеркнул"],
    &["подчеркнула"],
    &["добавил"],
    &["добавила"],
    &["опасаются"],
    &["боятся"],
    &["сообщили"],
    &["сообщило"],
    &["считает"],
    &["считают"],
    &["пообещал"],
    &["пообещала"],
    &["рассказал"],
    &["рассказала"],
    &["отмечают"],
    &["отметили"],
    &["пишет"],
    &["заявило"],
    &["сообщает"],
    &["подчеркнули"],
    &["признал"],
    &["признала"],
    &["объяснил"],
    &["объяснила"],
    &["уточнил"],
    &["уточнила"],
    &["пояснил"],
    &["пояснила"],
    // Arabic
    &["قال"],
    &["قالت"],
    &["أكد"],
    &["أكدت"],
    &["صرح"],
    &["صرحت"],
    &["أضاف"],
    &["أضافت"],
    &["أعلن"],
    &["أعلنت"],
    &["ذكر"],
    &["ذكرت"],
    &["أوضح"],
    &["أوضحت"],
    &["أشار"],
    &["أشارت"],
    &["يرى"],
    &["ترى"],
    &["يقول"],
    &["يقولون"],
    &["تقول"],
    &["نقلت"],
    &["نقل"],
    // Korean
    &["말했다"],
    &["밝혔다"],
    &["전했다"],
    &["강조했다"],
    &["주장했다"],
    &["비판했다"],
    &["지적했다"],
    &["덧붙였다"],
    &["분석했다"],
    &["보도했다"],
    &["설명했다"],
    &["당부했다"],
    &["발표했다"],
    // Japanese and Chinese (one word per character: the cue's characters in a row)
    &["述", "べ", "た"],
    &["語", "っ", "た"],
    &["話", "し", "た"],
    &["指", "摘", "し", "た"],
    &["強", "調", "し", "た"],
    &["発", "表", "し", "た"],
    &["報", "じ", "た"],
    &["伝", "え", "た"],
    &["分", "析", "し", "た"],
    &["付", "け", "加", "え", "た"],
    &["語", "り"],
    &["示", "し", "た"],
    &["明", "ら", "か", "に", "し", "た"],
    &["表", "示"],
    &["指", "出"],
    &["强", "调"],
    &["说"],
    &["称"],
    &["认", "为"],
    &["宣", "布"],
    &["介", "绍"],
    &["透", "露"],
    &["告", "诉"],
    &["报", "道"],
];

/// French past tenses ("a déclaré", "a-t-elle ajouté", "ont affirmé"): an auxiliary and one
/// of these.
const FR_PARTICIPLES: &[&str] = &[
    "déclaré",
    "dit",
    "affirmé",
    "expliqué",
    "ajouté",
    "indiqué",
    "estimé",
    "souligné",
    "assuré",
    "averti",
    "lancé",
    "dénoncé",
    "rapporté",
    "précisé",
    "reconnu",
    "confié",
    "réagi",
    "annoncé",
    "rappelé",
    "jugé",
    "prévenu",
    "insisté",
    "répondu",
    "écrit",
    "confirmé",
];

/// "According to" whose source comes before it: "Körber zufolge", "関係者によると", "협회에
/// 따르면".
pub const ACCORDING_AFTER: &[&str] = &["zufolge", "と", "따르면"];

/// "According to" in each language, each a list of words.
const ACCORDING: &[&[&str]] = &[
    &["according", "to"],
    &["as", "per"],
    &["selon"],
    &["d'après"],
    &["d’après"],
    &["laut"],
    &["zufolge"],
    &["según"],
    &["segundo"],
    &["de", "acordo", "com"],
    &["de", "acuerdo", "con"],
    &["nach", "angaben"],
    &["по", "словам"],
    &["по", "данным"],
    &["وفقا", "ل"],
    &["بحسب"],
    &["حسب"],
    &["따르면"],
    &["に", "よ", "る", "と"],
    &["zufolge"],
    &["وفقا"],
    &["据"],
];

/// Words that may stand for a speaker, lower case.
pub const PRONOUNS: &[&str] = &[
    "he",
    "she",
    "they",
    "we",
    "i",
    "il",
    "elle",
    "ils",
    "elles",
    "er",
    "sie",
    "él",
    "ella",
    "ele",
    "ela",
    "он",
    "она",
    "они",
    "他",
    "她",
    "彼",
    "그는",
    "그",
    "그녀",
    "그녀는",
    "هو",
    "هي",
];

/// Nouns that name who speaks: roles, bodies, groups.
pub const ROLES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "ministry",
    "official",
    "officials",
    "analyst",
    "analysts",
    "police",
    "president",
    "prime",
    "agency",
    "source",
    "sources",
    "expert",
    "experts",
    "researchers",
    "researcher",
    "critics",
    "critic",
    "residents",
    "diplomats",
    "diplomat",
    "leader",
    "leaders",
    "government",
    "authorities",
    "authority",
    "company",
    "statement",
    "report",
    "committee",
    "council",
    "mayor",
    "governor",
    "senator",
    "lawmakers",
    "lawmaker",
    "witnesses",
    "witness",
    "economists",
    "economist",
    "union",
    "chief",
    "director",
    "officer",
    "military",
    "army",
    "media",
    "newspaper",
    "broadcaster",
    "radio",
    "traders",
    "broadcast",
    "press",
    "reports",
    "agencies",
    "spokespeople",
    "ministers",
    "officers",
    "staff",
    "team",
    "group",
    "office",
    "department",
    "doctors",
    "scientists",
    "activists",
    "prosecutors",
    "judge",
    "lawyer",
    "lawyers",
    "ministre",
    "ministra",
    "ministro",
    "consejera",
    "consejero",
    "alcaldesa",
    "alcalde",
    "portavoz",
    "porte-parole",
    "président",
    "présidente",
    "presidente",
    "presidenta",
    "député",
    "députée",
    "secrétaire",
    "directeur",
    "directrice",
    "directora",
    "vereador",
    "treinador",
    "entrenador",
    "capitão",
    "capitán",
    "sprecher",
    "sprecherin",
    "ministerin",
    "министр",
    "мэр",
    "губернатор",
    "представитель",
    "директор",
    "председатель",
    "глава",
    "syndicats",
    "sindicatos",
    "analistas",
    "expertos",
    "especialistas",
    "ecologistas",
    "regantes",
    "proprietários",
    "аналитики",
    "эксперты",
    "жители",
    "пресс-служба",
    "профсоюз",
    "агентство",
    "газета",
    "министерство",
    "правительство",
    "confederación",
    "autarca",
];

/// Roles that name one person ("the spokeswoman", "the chief executive"): such a role stands
/// for the person named before it. English ones here (the ones "a" makes indefinite), the
/// other languages' in [`OTHER_PERSON_ROLES`]; [`is_person_role`] asks both.
const ENGLISH_ROLES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "president",
    "mayor",
    "governor",
    "senator",
    "judge",
    "chief",
    "executive",
    "director",
    "chairman",
    "chairwoman",
    "secretary",
    "leader",
    "captain",
    "goalkeeper",
    "manager",
    "coach",
    "professor",
    "engineer",
    "analyst",
    "economist",
    "diplomat",
    "scientist",
];

/// Person roles in the other languages ("la ministre", "der Sprecher").
const OTHER_PERSON_ROLES: &[&str] = &[
    "ministre",
    "ministra",
    "ministro",
    "consejera",
    "consejero",
    "alcaldesa",
    "alcalde",
    "portavoz",
    "porte-parole",
    "président",
    "présidente",
    "presidente",
    "presidenta",
    "député",
    "députée",
    "treinador",
    "entrenador",
    "capitão",
    "sprecher",
    "sprecherin",
    "ministerin",
    "landrätin",
    "chefarzt",
    "autarca",
    "министр",
    "мэр",
    "губернатор",
];

/// Whether a word (lower case) is a role that names one person.
pub fn is_person_role(word: &str) -> bool {
    ENGLISH_ROLES.contains(&word) || OTHER_PERSON_ROLES.contains(&word)
}

/// Articles before a role: "the minister", "la ministre", "el alcalde", "der Minister".
pub const ARTICLES: &[&str] = &[
    "the", "le", "la", "les", "l'", "el", "los", "las", "o", "os", "as", "der", "die", "das",
    "den", "dem", "des",
];

/// Indefinite articles: "a spokesperson for the ministry" opens a role phrase but names no one
/// said before.
pub const INDEFINITE: &[&str] = &[
    "a", "an", "un", "une", "uno", "una", "um", "uma", "ein", "eine",
];

/// Whether a source's words stand for a person named elsewhere: a pronoun, or "the" and a
/// person's role ("the minister", "the foreign minister", "the chief executive").
pub fn stands_for_person(source: &str) -> bool {
    let lower = source.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    // "der 41-Jährige": a person by age.
    let aged = |w: &str| w.ends_with("-jährige") || w.ends_with("-jähriger");
    match words.as_slice() {
        [one] => PRONOUNS.contains(one) || is_person_role(one),
        [article, rest @ ..] if ARTICLES.contains(article) && rest.len() <= 3 => {
            rest.last().is_some_and(|w| is_person_role(w) || aged(w))
        }
        // "a ministra", "o treinador": Portuguese "a" and "o" are definite ("a spokesman" is
        // not).
        ["a" | "o", role] => OTHER_PERSON_ROLES.contains(role),
        _ => false,
    }
}

/// Separable verb particles of German that close a clause ("kündigte einen Notfahrplan an"):
/// such a clause names an act, not a claim.
pub const SEPARABLE: &[&str] = &["an", "auf", "mit", "vor", "fest", "hinzu", "zu", "aus"];

/// Capitalised words that open a sentence or a clause and are no part of a name.
pub const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "I",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "If",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "To",
    "With",
    "After",
    "Before",
    "Asked",
    "Pressed",
    "When",
    "While",
    "Where",
    "Several",
    "Some",
    "Many",
    "Most",
    "Few",
    "All",
    "Not",
    "No",
    "Nobody",
    "Everyone",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "We",
    "They",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "My",
    "Outside",
    "Inside",
    "Until",
    "Since",
    "Every",
    "Each",
    "Both",
    "Last",
    "Next",
    "Today",
    "Yesterday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Laut",
    "Nach",
    "Según",
    "Selon",
    "Segundo",
    "Die",
    "Der",
    "Das",
    "Ein",
    "Eine",
    "Le",
    "Les",
    "El",
    "Los",
    "Las",
    "Un",
    "Une",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Frankly",
    "Still",
    "Even",
    "One",
];

/// Capitalised words that make a name a body's, not a person's ("Lindmark Dockers' Union").
pub const BODIES: &[&str] = &[
    "Union",
    "University",
    "Agency",
    "Council",
    "Ministry",
    "Company",
    "Association",
    "Institute",
    "Court",
    "Office",
    "Party",
    "Bank",
    "Group",
    "Committee",
    "Commission",
    "Authority",
    "Herald",
    "Post",
    "Times",
    "Courier",
    "Echo",
    "Gazette",
    "News",
    "Press",
    "Radio",
    "Television",
    "TV",
    "Forum",
    "Fund",
    "Board",
    "Club",
    "Corporation",
    "Inc",
    "Ltd",
    "Airlines",
    "Port",
    "River",
    "Street",
    "Bridge",
    "Valley",
    "Town",
    "City",
    "Athletic",
    "Capital",
    "Cup",
    "League",
    "Department",
    "Service",
    "Police",
    "Army",
    "House",
    "Parliament",
    "Assembly",
    "Chamber",
    "Commerce",
    "Terminals",
    "Anglers",
    "Semiconductor",
    "Letters",
    "Journal",
    "Hospital",
    "General",
    "School",
    "College",
    "Centre",
    "Center",
    "Foundation",
    "Network",
    "Society",
    "Gewerkschaft",
    "Unternehmen",
    "Ministerium",
    "Regierung",
    "Verband",
    "AG",
    "GmbH",
];

/// Words between a subject and its reporting verb ("experts have also said", "the report
/// further added"): skipped when looking for the subject.
pub const AUX: &[&str] = &[
    "have",
    "has",
    "had",
    "also",
    "already",
    "further",
    "previously",
    "reportedly",
    "earlier",
    "repeatedly",
    "was",
    "were",
    "is",
    "are",
    "been",
    "then",
    "later",
    "again",
    "once",
    "recently",
    "subsequently",
    "often",
    "always",
    "never",
    "not",
    "would",
    "will",
    "could",
    "may",
    "might",
    "allegedly",
    "publicly",
    "privately",
    "separately",
    "officially",
    "had",
    "did",
    "does",
    "do",
    "hat",
    "hatte",
    "a",
    "ha",
    "había",
];

/// Words that qualify a role without a determiner ("state radio", "senior officials").
pub const MODIFIERS: &[&str] = &[
    "state",
    "local",
    "foreign",
    "senior",
    "government",
    "police",
    "military",
    "western",
    "independent",
    "official",
    "top",
    "former",
    "party",
    "company",
    "industry",
    "health",
];

/// Words that join the parts of a name or role ("a spokesperson for the ministry", "the
/// ministry's spokeswoman").
pub const GLUE: &[&str] = &[
    "the", "a", "an", "of", "for", "at", "de", "du", "der", "la", "le", "les", "des", "del", "el",
    "los", "las", "do", "da", "dos", "das", "o", "die", "von",
];

/// Words that join a role to the body it belongs to: "the spokeswoman for the ministry", "ein
/// Sprecher des Unternehmens", "la ministre du Travail".
pub const JOINTS: &[&str] = &[
    "for", "of", "at", "de", "du", "des", "del", "do", "da", "dos", "der", "von",
];

/// A source's words without the Korean particle that ends them ("장관은" → "장관").
pub fn without_particle(source: &str) -> String {
    let hangul = |c: char| matches!(c as u32, 0xAC00..=0xD7AF);
    let trimmed = source.trim();
    for p in ["께서", "은", "는", "이", "가", "에"] {
        if let Some(rest) = trimmed.strip_suffix(p)
            && rest
                .chars()
                .last()
                .is_some_and(|c| hangul(c) || matches!(c, '’' | '”' | '」' | '』' | '»'))
            // "씨는": a one-syllable word takes the topic particle too.
            && rest.chars().count() >= if matches!(p, "은" | "는" | "께서") { 1 } else { 2 }
        {
            return rest.to_owned();
        }
    }
    trimmed.to_owned()
}

/// The particles that close a quoted claim before its cue: Korean 고, 라고, 이라고;
/// Japanese と.
pub const QUOTATIVES: &[&str] = &["이라고", "라고", "고", "며", "と"];

/// Chinese words after a subject that are no part of it: place, time, address ("林振华在记者会上
/// 说", "协会周二表示", "负责人对记者说").
pub const ZH_STOPS: &[&str] = &[
    "在", "对", "向", "于", "周", "今", "昨", "还", "也", "曾", "已", "将", "则", "均", "都",
];

/// Russian prepositions that name an office as a source: "сообщили в министерстве".
pub const IN_OFFICE: &[&str] = &["в", "во", "на", "у"];

/// A Korean object without its particle ("소식통을" → "소식통").
pub fn without_object(source: &str) -> String {
    let trimmed = source.trim();
    ["을", "를"]
        .iter()
        .find_map(|p| trimmed.strip_suffix(p).filter(|r| r.chars().count() >= 2))
        .unwrap_or(trimmed)
        .to_owned()
}

/// Words of a time that may open the phrase after a cue: "a affirmé dimanche la ministre",
/// "teilte am Montag mit".
pub const TIMES: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "hier",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "ayer",
    "hoy",
    "este",
    "esta",
    "ontem",
    "hoje",
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "am",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "gestern",
    "heute",
    "во",
    "в",
    "вторник",
    "среду",
    "четверг",
    "пятницу",
    "понедельник",
    "субботу",
    "воскресенье",
    "вчера",
    "сегодня",
    "manhã",
    "tarde",
    "noite",
    "matin",
    "soir",
    "morgen",
    "abend",
    "утром",
    "вечером",
];

/// Titles before a name.
pub const TITLES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Sen",
    "Rep",
    "Gen",
    "Col",
    "President",
    "Minister",
    "Judge",
    "Mayor",
    "Governor",
    "Senator",
];

/// Words right after a cue that are not yet the content: an addressee, a time, "that".
pub const SKIP_AFTER_CUE: &[&str] = &[
    "à",
    "au",
    "aux",
    "that",
    "reporters",
    "journalists",
    "the",
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "last",
    "week",
    "night",
    "in",
    "a",
    "statement",
    "interview",
    "que",
    "dass",
    "что",
    "on",
    "him",
    "her",
    "them",
    "us",
    "me",
    "tv",
    "radio",
    "television",
    "يوم",
    "للصحفيين",
];

/// Words that open reported speech after its cue: "that", "que", "dass", "что".
pub const COMPLEMENTIZERS: &[&str] = &["that", "que", "dass", "что", "أن", "إن", "بأن"];

/// Words that open a noun phrase naming a source: "the league", "its solicitors".
pub const DETERMINERS: &[&str] = &[
    "the", "a", "an", "its", "their", "his", "her", "our", "two", "three", "several", "some",
    "many", "le", "la", "les", "l'", "un", "une", "el", "los", "las", "una", "o", "os", "as", "um",
    "uma", "der", "die", "das", "ein", "eine", "son", "sa", "ses", "leur", "su", "sus", "seu",
    "sua", "ihr", "ihre", "sein", "seine",
];

/// Words that open a relative clause: "…, who asked not to be named" is no source.
pub const RELATIVES: &[&str] = &["who", "which", "that", "whose", "where", "when"];

/// Words of a phrase that says when, where or to whom ("on Sunday", "to the Courier", "in a
/// statement on social media").
pub const TAIL: &[&str] = &[
    "to",
    "at",
    "of",
    "for",
    "during",
    "after",
    "before",
    "with",
    "from",
    "this",
    "morning",
    "evening",
    "afternoon",
    "month",
    "year",
    "earlier",
    "later",
    "social",
    "parliament",
    "afterwards",
    "media",
    "note",
    "clients",
    "interview",
    "email",
    "post",
    "message",
    "video",
    "mit",
    "an",
    "auf",
    "hinzu",
    "am",
    "im",
    "dieser",
    "zeitung",
    "en",
    "el",
    "la",
    "le",
    "sur",
    "dans",
    "une",
    "un",
    "no",
    "na",
    "em",
    "à",
    "au",
    "ante",
    "los",
    "periodistas",
    "jornalistas",
    "journalistes",
    "news",
    "conference",
    "briefing",
    "letter",
    "speech",
    "an",
    "his",
    "her",
    "their",
    "its",
    "our",
];

/// Verbs that name what a quote is called: "called the win “the best day of my life”".
const NAMING: &[&[&str]] = &[
    &["called"],
    &["calls"],
    &["described"],
    &["describes"],
    &["dubbed"],
];

/// Words that open a second clause after a comma: "…, but the office said …".
pub const BUT: &[&str] = &["but", "mais", "aber", "pero", "mas", "но", "لكن"];

/// Words that join two reported claims: "said that A and that B".
pub const AND: &[&str] = &["and", "et", "und", "y", "e", "и"];

/// Words after a cue that say no claim follows: "he said nothing".
pub const NOTHING: &[&str] = &["nothing", "little", "rien", "nichts", "nada", "ничего"];

/// Nouns of a body that a role phrase may stand for: "the company" is the nearest name with
/// "Company" in it.
pub const BODY_ROLES: &[&str] = &[
    "company",
    "agency",
    "council",
    "ministry",
    "institute",
    "commission",
    "union",
    "office",
    "league",
    "association",
    "board",
    "committee",
    "court",
    "party",
    "bank",
    "authority",
];

/// Words that introduce the source a relay quotes ("quoting KCNA", "citing officials").
pub const RELAY: &[&str] = &[
    "quoting",
    "citing",
    "citant",
    "zitierte",
    "citando",
    "ссылаясь",
];

/// The first cue among `words` (lower case): its index and length in words.
pub fn first_cue(words: &[String]) -> Option<(usize, usize)> {
    (0..words.len()).find_map(|i| cue_at(words, i).map(|n| (i, n)))
}

/// The last cue among `words` before a quote, "called" and "described" included.
pub fn last_cue(words: &[String]) -> Option<(usize, usize)> {
    (0..words.len()).rev().find_map(|i| {
        cue_at(words, i)
            .or_else(|| matches(&NAMING_BY_FIRST, words, i))
            .map(|n| (i, n))
    })
}

/// The reporting verbs (not "according to") among `words`, in order.
pub fn speech_verbs(words: &[String]) -> Vec<(usize, usize)> {
    (0..words.len())
        .filter_map(|i| {
            matches(&SPEECH_BY_FIRST, words, i)
                .or_else(|| french_past(words, i))
                .map(|n| (i, n))
        })
        .collect()
}

/// The first "according to" among `words`.
pub fn according_to(words: &[String]) -> Option<(usize, usize)> {
    (0..words.len()).find_map(|i| matches(&ACCORDING_BY_FIRST, words, i).map(|n| (i, n)))
}

/// Whether one word is a reporting verb on its own.
pub fn is_speech_word(word: &str) -> bool {
    let bare = bare(word);
    SPEECH
        .iter()
        .any(|c| c.len() == 1 && (c[0] == word || c[0] == bare))
}

fn cue_at(words: &[String], i: usize) -> Option<usize> {
    matches(&SPEECH_BY_FIRST, words, i)
        .or_else(|| french_past(words, i))
        .or_else(|| matches(&ACCORDING_BY_FIRST, words, i))
}

/// "a déclaré", "a-t-elle ajouté", "ont affirmé": two words.
fn french_past(words: &[String], i: usize) -> Option<usize> {
    let aux = words.get(i)?.as_str();
    let auxiliary =
        matches!(aux, "a" | "ont") || aux.starts_with("a-t-") || aux.starts_with("ont-");
    (auxiliary && FR_PARTICIPLES.contains(&words.get(i + 1)?.as_str())).then_some(2)
}

/// A word as cues are matched: lower case, without Arabic vowel marks and without the
/// Arabic "and" (و) or a French inverted pronoun joined to it ("وأضافت", "ajoute-t-elle").
fn bare(word: &str) -> String {
    let word = unmarked(word);
    let word = match word.strip_prefix('و') {
        Some(rest) if rest.chars().count() >= 3 => rest.to_owned(),
        _ => word,
    };
    [
        "-t-il", "-t-elle", "-t-ils", "-t-elles", "-il", "-elle", "-ils", "-elles",
    ]
    .iter()
    .find_map(|p| word.strip_suffix(p).filter(|w| !w.is_empty() && *w != "a"))
    .map_or_else(|| word.clone(), str::to_owned)
}

/// The most words a cue has ("明らかにした" is six).
const LONGEST: usize = 6;

/// A word without Arabic vowel marks ("وفقًا" → "وفقا").
fn unmarked(word: &str) -> String {
    word.chars()
        .filter(|c| !matches!(*c as u32, 0x064B..=0x065F | 0x0670))
        .collect()
}

/// A list's phrases by their first word: a word looks up the few phrases it can start
/// instead of trying every phrase of the list (a 5 MB article has a million words).
type ByFirst = std::collections::HashMap<&'static str, Vec<&'static [&'static str]>>;

fn by_first(list: &'static [&'static [&'static str]]) -> ByFirst {
    let mut map = ByFirst::new();
    for phrase in list {
        if let Some(first) = phrase.first() {
            map.entry(*first).or_default().push(phrase);
        }
    }
    map
}

static SPEECH_BY_FIRST: std::sync::LazyLock<ByFirst> =
    std::sync::LazyLock::new(|| by_first(SPEECH));
static ACCORDING_BY_FIRST: std::sync::LazyLock<ByFirst> =
    std::sync::LazyLock::new(|| by_first(ACCORDING));
static NAMING_BY_FIRST: std::sync::LazyLock<ByFirst> =
    std::sync::LazyLock::new(|| by_first(NAMING));

/// The length of the longest phrase of `list` that starts at `words[i]`.
fn matches(list: &ByFirst, words: &[String], i: usize) -> Option<usize> {
    let first = words.get(i)?;
    let (plain, bare_first) = (unmarked(first), bare(first));
    let mut keys = vec![first.as_str(), plain.as_str(), bare_first.as_str()];
    keys.dedup();
    let candidates: Vec<&[&str]> = keys
        .iter()
        .filter_map(|k| list.get(k))
        .flatten()
        .copied()
        .collect();
    if candidates.is_empty() {
        return None;
    }
    // Each word's other forms, once (not once per phrase).
    let forms: Vec<[String; 2]> = words
        .iter()
        .skip(i)
        .take(LONGEST)
        .map(|w| [unmarked(w), bare(w)])
        .collect();
    candidates
        .into_iter()
        .filter(|phrase| {
            words.len() >= i + phrase.len()
                && phrase
                    .iter()
                    .zip(&words[i..])
                    .enumerate()
                    .all(|(k, (p, w))| match forms.get(k) {
                        Some([plain, bare]) => p == w || p == plain || p == bare,
                        None => *p == w || *p == unmarked(w) || *p == self::bare(w),
                    })
                && !verb_stem(phrase, words.get(i + phrase.len()))
        })
        .map(|phrase| phrase.len())
        .max()
}

/// Whether a cue ending in a Han character is followed by kana: the stem of a Japanese verb
/// ("据え置く"), not the Chinese word ("据").
fn verb_stem(phrase: &[&str], next: Option<&String>) -> bool {
    let han = |c: char| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF);
    let kana = |c: char| matches!(c as u32, 0x3040..=0x30FF);
    phrase
        .last()
        .and_then(|p| p.chars().last())
        .is_some_and(han)
        && next.and_then(|n| n.chars().next()).is_some_and(kana)
}
