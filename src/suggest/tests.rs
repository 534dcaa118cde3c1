use super::*;
use crate::model::{Source, SourceRegistry};

/// A suggestion as the tests read it: words, cue, who, via, kind.
type Seen = (String, Option<String>, Option<String>, Vec<String>, Kind);

fn run(text: &str) -> Vec<Seen> {
    let registry = SourceRegistry {
        sources: vec![Source {
            name: "Korean Central News Agency".into(),
            aliases: vec!["KCNA".into()],
            ..Source::named("Korean Central News Agency")
        }],
    };
    let chars: Vec<char> = text.chars().collect();
    suggest(text, &registry)
        .into_iter()
        .map(|s| {
            (
                s.quote(&chars),
                s.cue.as_ref().map(|c| c.text.clone()),
                s.attributed_to.clone(),
                s.via.clone(),
                s.kind,
            )
        })
        .collect()
}

#[test]
fn a_direct_quote_with_its_cue_after_it() {
    let found = run("“We are ready for both dialogue and confrontation,” said Kim Jong Un.");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].0,
        "“We are ready for both dialogue and confrontation,”"
    );
    assert_eq!(found[0].1.as_deref(), Some("said"));
    assert_eq!(found[0].2.as_deref(), Some("Kim Jong Un"));
    assert_eq!(found[0].4, Kind::Direct);
}

#[test]
fn a_pronoun_is_the_nearest_person_before_it() {
    let text = "Ana Ribeiro leads the dock workers' union. “The queue will grow every night,” she told reporters.";
    let found = run(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2.as_deref(), Some("Ana Ribeiro"));
    assert_eq!(found[0].1.as_deref(), Some("told"));
}

#[test]
fn an_interrupted_quote_is_one_claim_in_two_pieces() {
    let found = run("“We are ready,” the minister said, “for talks and for the worst.”");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].0,
        "“We are ready,” … “for talks and for the worst.”"
    );
    assert_eq!(found[0].2.as_deref(), Some("the minister"));
}

#[test]
fn a_cue_before_the_quote() {
    let found =
        run("The spokeswoman for the ministry said: “Exports will fall sharply this year.”");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].2.as_deref(),
        Some("The spokeswoman for the ministry")
    );
}

#[test]
fn reported_speech_and_according_to() {
    let found = run(
        "The ministry said that grain exports rose by 12 per cent in May. \
         Prices will rise again next month, analysts said. \
         According to the port authority, forty ships waited outside the harbour.",
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "grain exports rose by 12 per cent in May");
    assert_eq!(found[0].2.as_deref(), Some("The ministry"));
    assert_eq!(found[0].4, Kind::Indirect);
    assert_eq!(found[1].0, "Prices will rise again next month");
    assert_eq!(found[1].2.as_deref(), Some("analysts"));
    assert_eq!(found[2].0, "forty ships waited outside the harbour");
    assert_eq!(found[2].2.as_deref(), Some("the port authority"));
}

#[test]
fn a_relay_names_who_quoted_and_the_registry_names_the_source() {
    let found = run(
        "India Today reported, quoting KCNA, that the leader had inspected a new missile launcher.",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].0,
        "the leader had inspected a new missile launcher"
    );
    assert_eq!(found[0].2.as_deref(), Some("Korean Central News Agency"));
    assert_eq!(found[0].3, ["India Today"]);
}

#[test]
fn scare_quotes_and_apostrophes_are_not_claims() {
    assert!(run("The union called the delay a “scandal” on Monday.").is_empty());
    assert!(run("The minister’s plan was not the agency's.").is_empty());
}

#[test]
fn quotes_and_cues_in_other_languages() {
    let fr = run("« Nous ne céderons pas sur les retraites », a déclaré la ministre.");
    assert_eq!(fr.len(), 1, "{fr:?}");
    assert_eq!(fr[0].1.as_deref(), Some("a déclaré"));
    let de = run("„Wir werden die Renten nicht kürzen“, sagte Ministerin Weber.");
    assert_eq!(de.len(), 1, "{de:?}");
    assert_eq!(de[0].2.as_deref(), Some("Ministerin Weber"));
    let es = run("Según el ministerio, las exportaciones subieron un doce por ciento.");
    assert_eq!(es.len(), 1, "{es:?}");
    assert_eq!(es[0].0, "las exportaciones subieron un doce por ciento");
    let ja = run("首相は「準備はできている」と述べた。");
    assert_eq!(ja.len(), 1, "{ja:?}");
    assert_eq!(ja[0].0, "「準備はできている」");
    let ru = run("«Мы готовы к переговорам», — заявил министр.");
    assert_eq!(ru.len(), 1, "{ru:?}");
    assert_eq!(ru[0].1.as_deref(), Some("заявил"));
}

#[test]
fn offsets_count_code_points() {
    let text = "🙂 “Exports will fall sharply this year,” said Lee.";
    let registry = SourceRegistry::default();
    let found = suggest(text, &registry);
    assert_eq!(found.len(), 1);
    let chars: Vec<char> = text.chars().collect();
    let span = found[0].content[0];
    assert_eq!(span.start, 2);
    assert_eq!(
        chars[span.start..span.end].iter().collect::<String>(),
        "“Exports will fall sharply this year,”"
    );
}

#[test]
fn a_pronoun_names_the_person_not_the_body_beside_it() {
    let found = run(
        "Daniel Kerr, secretary of the Teme Valley Anglers, smiled. \
         “We were told we were wasting our time,” he said.",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2.as_deref(), Some("Daniel Kerr"));
    // A surname alone is the person named in full before it.
    let found = run("Idris Halvorsen met Mei Lindqvist. Halvorsen smiled. \
         “Many friends helped us,” he said.");
    assert_eq!(found[0].2.as_deref(), Some("Idris Halvorsen"));
}

#[test]
fn a_quote_without_a_cue_is_the_last_speakers() {
    let found = run("“The queue will grow every night,” said Ana Ribeiro. \
         “We have waited eleven months for a contract.”\n\n\
         “The first round will be held in March,” the mayor said.");
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[1].1, None);
    assert_eq!(found[1].2.as_deref(), Some("Ana Ribeiro"));
    // "The mayor" stands for the nearest person; a body's role stays as written.
    assert_eq!(found[2].2.as_deref(), Some("Ana Ribeiro"));
    let found = run("Harlow Water lost. “We are studying the ruling carefully,” the company said.");
    assert_eq!(found[0].2.as_deref(), Some("the company"));
}

#[test]
fn a_title_in_quotation_marks_is_not_a_claim() {
    assert!(run("Fans sang “You'll Never Beat the Town” after the whistle.").is_empty());
}

#[test]
fn a_cue_after_the_clause_may_be_followed_by_a_time_or_a_relay() {
    let found = run(
        "Dock workers will stay off the job for another week, their union said on \
         Sunday, after talks broke down.",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].0,
        "Dock workers will stay off the job for another week"
    );
    assert_eq!(found[0].2.as_deref(), Some("their union"));
    let found = run(
        "Several clubs have asked about her, the Riverside Post reported on Sunday, \
         citing people close to the club.",
    );
    assert_eq!(found[0].2.as_deref(), Some("people close to the club"));
    assert_eq!(found[0].3, ["the Riverside Post"]);
}

#[test]
fn an_apposition_between_the_source_and_its_cue() {
    let found = run(
        "Northgate Terminals, which runs two of the three terminals, said the \
         demands would add 14 per cent to its wage bill.",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].0,
        "the demands would add 14 per cent to its wage bill"
    );
    assert_eq!(found[0].2.as_deref(), Some("Northgate Terminals"));
    let found = run(
        "A spokesman for the company, Tomas Veld, told the Courier that the offer \
         was final.",
    );
    assert_eq!(found[0].2.as_deref(), Some("Tomas Veld"));
    let found = run("The league said it had received no formal complaint.");
    assert_eq!(found[0].2.as_deref(), Some("The league"));
}

#[test]
fn two_claims_in_a_sentence_and_a_cue_without_one() {
    let found = run(
        "She told reporters that both sides wanted peace and that the first round \
         would be held in Estrea.",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].0, "the first round would be held in Estrea");
    let found = run(
        "Officials say the cut will be paid for by closing loopholes, but the \
         oversight office said it had not been given enough detail.",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].2.as_deref(), Some("the oversight office"));
    assert!(run("Tebbit said nothing about money, but he hopes to be invited.").is_empty());
}

#[test]
fn a_bodys_role_is_the_nearest_name_of_that_kind() {
    let found = run(
        "The Environment Agency measured the spill. The agency said fish stocks \
         had not yet recovered.",
    );
    assert_eq!(found[0].2.as_deref(), Some("Environment Agency"));
    let found = run("According to the institute, the probe will fly over the pole in April.");
    assert_eq!(found[0].2.as_deref(), Some("the institute"));
}

#[test]
fn an_apposition_is_not_a_claim_and_a_claim_may_go_on_after_its_cue() {
    let found = run(
        "Felix Ward, an engineer who inspected the bridge in 2022, said he was not \
         surprised.",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "he was not surprised");
    assert_eq!(found[0].2.as_deref(), Some("Felix Ward"));
    let found = run(
        "Rises in costs would swallow the extra cash, the association said, leaving \
         most schools worse off.",
    );
    assert_eq!(
        found[0].0,
        "Rises in costs would swallow the extra cash … leaving most schools worse off"
    );
}

#[test]
fn a_cue_next_to_a_quote_is_the_quotes() {
    let found = run(
        "“I sleep in my cab four nights a week now,” said Piet Lammers, who hauls \
         containers for a firm in Harwick.",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2.as_deref(), Some("Piet Lammers"));
    let found = run(
        "“A photo opportunity is not a treaty,” Caspar Nyquist, who leads the \
         Liberal Union, wrote on social media.",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].2.as_deref(), Some("Caspar Nyquist"));
    let found = run("Gus Brennan, the manager, called the win “the best day of my working life”.");
    assert_eq!(found[0].2.as_deref(), Some("Gus Brennan"));
}

#[test]
fn european_cues_roles_and_inversions() {
    let fr = run(
        "« Nous avons écouté, mais nous ne céderons pas », a-t-elle déclaré. \
         « Le système doit être financé. »",
    );
    assert_eq!(fr.len(), 2, "{fr:?}");
    assert_eq!(fr[0].1.as_deref(), Some("a-t-elle déclaré"));
    let fr = run(
        "Le gouvernement ne reviendra pas sur la réforme, a affirmé dimanche la \
         ministre du Travail, Claire Dumontel, à la veille de la grève.",
    );
    assert_eq!(fr[0].2.as_deref(), Some("Claire Dumontel"));
    let de = run("Laut Körber reicht das Angebot nicht einmal für die Inflation.");
    assert_eq!(de.len(), 1, "{de:?}");
    assert_eq!(de[0].0, "reicht das Angebot nicht einmal für die Inflation");
    assert_eq!(de[0].2.as_deref(), Some("Körber"));
    let es = run("Los regantes aseguran que ya han perdido un tercio de la cosecha.");
    assert_eq!(es[0].2.as_deref(), Some("Los regantes"));
    let es = run(
        "Los embalses están al 18 %, según los datos publicados este lunes por la \
         Confederación Hidrográfica del Sur.",
    );
    assert_eq!(
        es[0].2.as_deref(),
        Some("Confederación Hidrográfica del Sur")
    );
}

#[test]
fn according_to_after_its_source_and_joined_arabic_cues() {
    let ja = run("関係者によると、会合では委員2人が利上げを主張した。");
    assert_eq!(ja.len(), 1, "{ja:?}");
    assert_eq!(ja[0].2.as_deref(), Some("関係者"));
    let ko = run("대한반도체협회에 따르면 올해 1분기 설비 투자는 전년 대비 8% 감소했다.");
    assert_eq!(ko[0].2.as_deref(), Some("대한반도체협회"));
    let ar = run("وأضافت الهيئة أن الصهاريج ستوزع المياه مجانًا على المستشفيات.");
    assert_eq!(ar.len(), 1, "{ar:?}");
    assert_eq!(ar[0].1.as_deref(), Some("وأضافت"));
}

#[test]
fn korean_japanese_and_chinese_sources_and_reports() {
    let ko = run("한서진 산업부 장관은 이날 “하반기에는 수출이 반등할 것”이라고 말했다.");
    assert_eq!(ko.len(), 1, "{ko:?}");
    assert_eq!(ko[0].2.as_deref(), Some("한서진 산업부 장관"));
    let ko = run("지난달 반도체 수출이 12% 줄었다고 산업통상부가 1일 밝혔다.");
    assert_eq!(ko.len(), 1, "{ko:?}");
    assert_eq!(ko[0].0, "지난달 반도체 수출이 12% 줄었다");
    assert_eq!(ko[0].2.as_deref(), Some("산업통상부"));
    let ja = run("森田総裁は記者会見で「賃上げの勢いを見極めたい」と述べた。");
    assert_eq!(ja[0].2.as_deref(), Some("森田総裁"));
    let ja = run("日本中央銀行は政策金利を据え置くと発表した。");
    assert_eq!(ja.len(), 1, "{ja:?}");
    assert_eq!(ja[0].0, "政策金利を据え置く");
    assert_eq!(ja[0].2.as_deref(), Some("日本中央銀行"));
    let zh = run("华东汽车协会周二表示，今年电动车平均售价下降了百分之十一。");
    assert_eq!(zh.len(), 1, "{zh:?}");
    assert_eq!(zh[0].0, "今年电动车平均售价下降了百分之十一");
    assert_eq!(zh[0].2.as_deref(), Some("华东汽车协会"));
}

#[test]
fn russian_french_and_arabic_reports() {
    let ru = run(
        "Завод остановит две доменные печи из-за падения спроса, — сообщила во вторник \
         пресс-служба предприятия.",
    );
    assert_eq!(ru.len(), 1, "{ru:?}");
    assert_eq!(ru[0].2.as_deref(), Some("пресс-служба предприятия"));
    let ru = run("Профсоюз металлургов считает, что сокращения всё равно неизбежны.");
    assert_eq!(ru[0].2.as_deref(), Some("Профсоюз металлургов"));
    // A name in quotation marks before the cue is no quote of its own.
    let ru = run(
        "Агентство «Север-Информ» сообщило, ссылаясь на источник в правительстве, что \
         завод может получить заказ.",
    );
    assert_eq!(ru.len(), 1, "{ru:?}");
    assert_eq!(ru[0].0, "завод может получить заказ");
    let fr = run(
        "Le journal La Dépêche a rapporté, citant un conseiller du Premier ministre, que \
         le gouvernement pourrait recourir au vote bloqué.",
    );
    assert_eq!(
        fr[0].2.as_deref(),
        Some("un conseiller du Premier ministre")
    );
    assert!(
        run("Interrogée sur ce point, la ministre n'a rien dit de plus sur la réforme.").is_empty()
    );
    let ar = run("وفقًا لخبراء، فإن البلاد تفقد ثلث مياهها بسبب التسرب في الشبكة.");
    assert_eq!(ar.len(), 1, "{ar:?}");
}

#[test]
fn relays_and_headline_speakers_in_chinese_korean_and_japanese() {
    let zh = run("《经济日报》援引知情人士的话报道，有关部门正在研究出台新的规定。");
    assert_eq!(zh.len(), 1, "{zh:?}");
    assert_eq!(zh[0].2.as_deref(), Some("知情人士"));
    assert_eq!(zh[0].3, ["《经济日报》"]);
    let ko =
        run("니케이신문은 업계 소식통을 인용해 국내 업체 두 곳이 감산을 검토하고 있다고 보도했다.");
    assert_eq!(ko[0].2.as_deref(), Some("업계 소식통"));
    assert_eq!(ko[0].3, ["니케이신문"]);
    let ja = run("東都通信は政府筋の話として、政府が追加の物価対策を検討していると報じた。");
    assert_eq!(ja[0].2.as_deref(), Some("政府筋"));
    let ja = run("日本中央銀行、金利据え置き　総裁「賃上げの持続性見極める」");
    assert_eq!(ja[0].2.as_deref(), Some("総裁"));
}

#[test]
fn roles_that_stand_for_a_person_in_portuguese_and_german() {
    let pt = run(
        "A ministra Inês Carvalhal visitou o bairro. «Não vamos resolver tudo num ano», \
         afirmou a ministra.",
    );
    assert_eq!(pt[0].2.as_deref(), Some("Inês Carvalhal"));
    let de = run(
        "Malte Jessen pendelt aus Lüneburg. „Ich verliere jedes Mal einen Urlaubstag“, \
         sagte der 41-Jährige.",
    );
    assert_eq!(de[0].2.as_deref(), Some("Malte Jessen"));
    // "a spokesman" is someone not named before.
    let en = run("Tom Lee left. “No decision has been made yet,” said a spokesman.");
    assert_eq!(en[0].2.as_deref(), Some("a spokesman"));
    assert!(run("Die Nordbahn kündigte einen Notfahrplan an.").is_empty());
}

#[test]
fn it_a_person_of_a_body_and_according_to_inside_a_sentence() {
    let found = run(
        "The gauge stopped sending data at 7.15pm, the Carrow Water Board confirmed. \
         It said an engineer had been sent to repair it the next morning.",
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].2.as_deref(), Some("the Carrow Water Board"));
    let found =
        run("Sam Whitlow of Pennant Research said the chain's debts had doubled since 2021.");
    assert_eq!(found[0].2.as_deref(), Some("Sam Whitlow"));
    let found = run(
        "The closures will affect about 400 staff, according to the Bakers' Union, \
         most of them part-time.",
    );
    assert_eq!(
        found[0].0,
        "The closures will affect about 400 staff … most of them part-time"
    );
    assert!(
        run("An inquiry opens into flood warnings that \"came too late\" for residents.")
            .is_empty()
    );
}

#[test]
fn a_korean_topic_after_a_name_ending_like_a_particle_and_a_short_headline_quote() {
    let ko = run("대학생 이지은 씨는 “한 달 교통비가 만 원 넘게 늘어난다”고 말했다.");
    assert_eq!(ko[0].2.as_deref(), Some("대학생 이지은 씨"));
    let ko = run("시내버스 요금 300원 인상…시민단체 “서민 부담 커진다”");
    assert_eq!(ko.len(), 1, "{ko:?}");
    assert_eq!(ko[0].2.as_deref(), Some("시민단체"));
}

#[test]
fn a_role_then_its_name_and_an_elided_article() {
    let es =
        run("«Ha sido una decisión muy difícil», explicó el presidente del club, Ramón Ibarra.");
    assert_eq!(es[0].2.as_deref(), Some("Ramón Ibarra"));
    let fr = run(
        "Les urgences seront fermées la nuit tout l'été, a annoncé mardi l'Agence \
         régionale de santé.",
    );
    assert_eq!(fr[0].2.as_deref(), Some("l'Agence régionale de santé"));
    let fr = run(
        "« Ce gouvernement confond fermeté et surdité », a lancé la députée Sophie \
         Marchal à l'Assemblée nationale.",
    );
    assert_eq!(fr[0].2.as_deref(), Some("la députée Sophie Marchal"));
}
