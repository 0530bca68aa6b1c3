//! The language of what a planner reads: the terminal headline, the charts and the report
//! (`--lang en|fr`). CSV columns and JSON keys are data and stay English; `--csv-locale`
//! alone sets the number style of the CSV files.
//!
//! One message catalogue ([`Msg`]) holds every sentence, heading and label in both
//! languages, so neither is written anywhere else; a sentence with values is a template
//! with named holes (`{n}`) filled by [`fill`] (or the `tr!` macro). [`Lang`] also writes
//! numbers, percentages and dates the way each language does: "1,234.5", "12.5 %",
//! "1 Oct 2025" in English; "1 234,5", "12,5 %", "1 oct. 2025" in French, with a narrow
//! no-break space (U+202F) as the thousands separator and before "%".
//!
//! Long (over 600 lines) because it is the one message catalogue: about 700 lines are the
//! table of every sentence in English and French, which is read and reviewed as one list.

use std::fmt;
use std::str::FromStr;

use crate::scenario::Date;

/// The narrow no-break space of French numbers: "1 234,5", "12,5 %".
pub const NNBSP: char = '\u{202F}';

/// The language of the text a planner reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// French.
    Fr,
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            other => Err(format!(
                "unknown language `{other}`; expected `en` (English) or `fr` (French)"
            )),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

impl Lang {
    /// The language code of HTML's `lang` attribute: "en", "fr".
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// A number as written in English (`1,234.5`, `-0.3`) in this language: French
    /// "1 234,5". Only separators between digits change.
    pub fn digits(self, english: &str) -> String {
        match self {
            Lang::En => english.to_string(),
            Lang::Fr => {
                let c: Vec<char> = english.chars().collect();
                let mut o = String::with_capacity(english.len() + 4);
                for (i, &ch) in c.iter().enumerate() {
                    let between = i > 0
                        && c[i - 1].is_ascii_digit()
                        && c.get(i + 1).is_some_and(char::is_ascii_digit);
                    match ch {
                        ',' if between => o.push(NNBSP),
                        '.' if between => o.push(','),
                        _ => o.push(ch),
                    }
                }
                o
            }
        }
    }

    /// `v` with `d` decimals: "1234.5" / "1234,5" (no thousands separator; see
    /// [`Lang::thousands`]).
    pub fn num(self, v: f64, d: usize) -> String {
        self.digits(&super::num(v, d))
    }

    /// A whole number with thousands separators: "1,234" / "1 234".
    pub fn thousands(self, v: f64) -> String {
        self.digits(&super::thousands(v))
    }

    /// A number already written in English followed by a percent sign: "12.5 %" /
    /// "12,5 %".
    pub fn percent(self, english: &str) -> String {
        match self {
            Lang::En => format!("{english} %"),
            Lang::Fr => format!("{}{NNBSP}%", self.digits(english)),
        }
    }

    /// `text` with the spaces of its punctuation made unbreakable in French, so that a line
    /// never starts with ";", ":", "!", "?" or "»" nor ends with "«": a narrow no-break
    /// space before ";", "!" and "?", a no-break space before ":" and inside « ». English
    /// text is returned as it is.
    pub fn typeset(self, text: &str) -> String {
        match self {
            Lang::En => text.to_string(),
            Lang::Fr => text
                .replace(" ;", "\u{202F};")
                .replace(" !", "\u{202F}!")
                .replace(" ?", "\u{202F}?")
                .replace(" :", "\u{A0}:")
                .replace("« ", "«\u{A0}")
                .replace(" »", "\u{A0}»"),
        }
    }

    /// A date: "1 Oct 2025" / "1 oct. 2025", or without the year.
    pub fn date(self, d: Date, year: bool) -> String {
        let (y, m, day) = d.ymd();
        let i = (m - 1).clamp(0, 11) as usize;
        let mon = match self {
            Lang::En => MONTHS_EN[i],
            Lang::Fr => MONTHS_FR[i],
        };
        if year {
            format!("{day} {mon} {y}")
        } else {
            format!("{day} {mon}")
        }
    }

    /// `v` with one decimal, without a trailing zero decimal: "5", "2.5" / "2,5".
    pub fn num_short(self, v: f64) -> String {
        self.digits(super::num(v, 1).trim_end_matches(".0"))
    }

    /// The text of `m` in this language.
    pub fn t(self, m: Msg) -> &'static str {
        m.text(self)
    }

    /// `""` or the plural ending for `n` things ("s" in both languages).
    pub fn plural(self, n: u64) -> &'static str {
        match self {
            // French counts 0 and 1 as singular; English only 1.
            Lang::En if n == 1 => "",
            Lang::Fr if n <= 1 => "",
            _ => "s",
        }
    }
}

/// A study KPI's label with its unit, in `l`: "P(dry by day 90)".
pub fn kpi_label(k: &crate::ensemble::Kpi, l: Lang) -> String {
    use crate::ensemble::Kpi;
    let (m, d) = match k {
        Kpi::FirstDryMedian => (Msg::KpiFirstDryMedian, 0),
        Kpi::PDryBy(d) => (Msg::KpiPDryBy, *d),
        Kpi::PRationingBy(d) => (Msg::KpiPRationingBy, *d),
        Kpi::DaysRationed => (Msg::KpiDaysRationed, 0),
        Kpi::UnmetProtected => (Msg::KpiUnmetProtected, 0),
        Kpi::UnmetTotal => (Msg::KpiUnmetTotal, 0),
        Kpi::TrucksLost => (Msg::KpiTrucksLost, 0),
        Kpi::FuelLost => (Msg::KpiFuelLost, 0),
    };
    fill(m.text(l), &[("d", &d)])
}

/// What a built-in sensitivity input is, in words of `l`: "risk multiplier: blockade:
/// Kayes–Diéma"; an uncertain input is its `--set` path. In English these words are also
/// data (`summary.json`, `headline.csv`).
pub fn input_words(k: &crate::ensemble::InputKind, l: Lang) -> String {
    use crate::ensemble::InputKind;
    let (m, x) = match k {
        InputKind::RiskMultiplier(x) => (Msg::InputRiskMultiplier, x.as_str()),
        InputKind::EscortUnits => (Msg::InputEscortUnits, ""),
        InputKind::Fleet => (Msg::InputFleet, ""),
        InputKind::InitialStock(x) => (Msg::InputInitialStock, x.as_str()),
        InputKind::SupplyAll => (Msg::InputSupplyAll, ""),
        InputKind::SupplyFactor(x) => (Msg::InputSupplyFactor, x.as_str()),
        // A path is the same in every language.
        InputKind::Uncertain(path) => return path.clone(),
    };
    fill(m.text(l), &[("x", &x)])
}

/// A value of a built-in sensitivity input ("1,200", "25 M L/day", "×1.5") in `l`.
pub fn input_value(l: Lang, v: &str) -> String {
    let d = l.digits(v);
    match d.strip_suffix("/day") {
        Some(x) => fill(Msg::PerDay.text(l), &[("x", &x)]),
        None => d,
    }
}

/// The legend words of a fleet state in `l` ("loaded, on the road").
pub fn truck_state(l: Lang, t: crate::model::TruckState) -> &'static str {
    use crate::model::TruckState as T;
    l.t(match t {
        T::LoadedOnRoad => Msg::StateLoaded,
        T::WaitingForEscort => Msg::StateWaitingEscort,
        T::WaitingAtGateOrClosure => Msg::StateWaitingGate,
        T::WaitingToUnload => Msg::StateWaitingUnload,
        T::ReturningEmpty => Msg::StateReturning,
        T::IdleAtSource => Msg::StateIdle,
    })
}

/// The name of a volume unit chosen by `charts::volume_unit` ("million litres") in `l`.
pub fn volume_unit_name(l: Lang, en: &str) -> &'static str {
    l.t(match en {
        "million litres" => Msg::UnitMillionLitres,
        "thousand litres" => Msg::UnitThousandLitres,
        _ => Msg::UnitLitres,
    })
}

/// A country name of the basemap (Natural Earth's English short name) in `l`.
pub fn country(l: Lang, en: &str) -> &str {
    if l == Lang::En {
        return en;
    }
    match en {
        "Algeria" => "Algérie",
        "Benin" => "Bénin",
        "Cabo Verde" => "Cap-Vert",
        "Cameroon" => "Cameroun",
        "Eq. Guinea" => "Guinée équat.",
        "Gambia" => "Gambie",
        "Guinea" => "Guinée",
        "Guinea-Bissau" => "Guinée-Bissau",
        "Liberia" => "Libéria",
        "Libya" => "Libye",
        "Mauritania" => "Mauritanie",
        "Morocco" => "Maroc",
        "Nigeria" => "Nigéria",
        "Senegal" => "Sénégal",
        "São Tomé and Principe" => "São Tomé-et-Principe",
        "W. Sahara" => "Sahara occ.",
        other => other,
    }
}

/// Fills the named holes of `template` (`{name}`) with `args`; a hole with no argument is
/// left as written.
pub fn fill(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut o = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        o.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => {
                        use fmt::Write as _;
                        let _ = write!(o, "{v}");
                    }
                    None => {
                        o.push('{');
                        o.push_str(name);
                        o.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                o.push('{');
                rest = after;
            }
        }
    }
    o.push_str(rest);
    o
}

/// A catalogue message as a `String`: `tr!(lang, Key)`, or with its holes filled:
/// `tr!(lang, Key, n = 3, name = s.name)`.
#[macro_export]
#[doc(hidden)]
macro_rules! tr {
    ($l:expr, $k:ident) => {
        $crate::report::Msg::$k.text($l).to_string()
    };
    ($l:expr, $k:ident, $($n:ident = $v:expr),+ $(,)?) => {
        $crate::report::fill(
            $crate::report::Msg::$k.text($l),
            &[$((stringify!($n), &$v as &dyn ::std::fmt::Display)),+],
        )
    };
}

/// The words the charts make of a scenario field or group name (`initial_stock_litres` ->
/// "initial stock", `fleet` -> "fleet": `charts::path_name`) in `l`: English as they are;
/// in French from this list of the format's names, and a name not on it as it is (a test
/// checks every numeric field of the format is on it).
pub(crate) fn field_words_in(en: &str, l: Lang) -> String {
    if l == Lang::En {
        return en.to_string();
    }
    let fr = match en {
        "attack risk" | "risk" => "risque d'attaque",
        "trucks lost" => "citernes perdues",
        "lat" => "latitude",
        "lon" => "longitude",
        "seed" => "graine",
        "replications" => "répétitions",
        "risk multiplier" => "multiplicateur de risque",
        "capacity" => "capacité",
        "transit" => "durée de trajet",
        "loss fraction" => "part des citernes perdues",
        "seized share" => "part du carburant saisie",
        "suspend" => "suspension",
        "return risk factor" => "facteur de risque au retour",
        "supply" => "approvisionnement",
        "initial stock" => "stock initial",
        "demand" => "demande",
        "amount" => "quantité",
        "litres per day" => "litres par jour",
        "trucks" => "citernes",
        "truck" => "contenance d'une citerne",
        "replacement per day" => "remplacements par jour",
        "fleet share" => "part de la flotte",
        "units" => "unités",
        "escort units" => "unités d'escorte",
        "risk factor" => "facteur de risque",
        "loss factor" => "facteur de perte",
        "turnaround" => "rotation",
        "max convoy" => "taille maximale d'un convoi",
        "threshold" => "seuil",
        "convoy interval" => "intervalle entre convois",
        "reroute after" => "déroutement après",
        "attrition horizon" => "horizon d'attrition",
        "replan" => "intervalle de replanification",
        "trigger" => "seuil de rationnement",
        "ration fraction" => "part servie en rationnement",
        "protected priority" => "priorité protégée",
        "priority" => "priorité",
        "factor" => "facteur",
        "day" => "jour",
        "until" => "jusqu'au jour",
        "km" => "km",
        "fleet" => "flotte",
        "escorts" => "escortes",
        "dispatch" => "expédition",
        "interdiction" => "interdiction",
        "rationing" => "rationnement",
        "attack" => "attaque",
        "effect" => "effet",
        other => other,
    };
    fr.to_string()
}

/// Declares [`Msg`] from `Key { en: "...", fr: "..." }` entries.
macro_rules! catalogue {
    ($( $key:ident { en: $en:literal, fr: $fr:literal } )*) => {
        /// Every sentence, heading and label a planner reads, in both languages. The
        /// variant name says what the text is; [`Msg::text`] gives it.
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $( $key, )* }

        impl Msg {
            /// Every message, for tests that read the whole catalogue.
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            /// The text (a template where it has `{holes}`) in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match self {
                    $( Msg::$key => match lang { Lang::En => $en, Lang::Fr => $fr }, )*
                }
            }
        }
    };
}

catalogue! {
    // Numbers, days and dates.
    Under { en: "under {x}", fr: "moins de {x}" }
    Litres { en: "{x} L", fr: "{x} L" }
    MillionLitres { en: "{x} million L", fr: "{x} million de L" }
    MillionsLitres { en: "{x} million L", fr: "{x} millions de L" }
    PerDay { en: "{x}/day", fr: "{x}/jour" }
    DayN { en: "day {d}", fr: "jour {d}" }
    DateDay { en: "{date} ({day})", fr: "{date} ({day})" }
    NoneWithinHorizon { en: "none within the {h}-day horizon", fr: "aucun dans l'horizon de {h} jours" }
    NoneWithinHorizonMost { en: "none within the {h}-day horizon in most runs; P10 {p10}", fr: "aucun dans l'horizon de {h} jours dans la plupart des tirages ; P10 {p10}" }
    MedianP10P90 { en: "median {m}; P10 {p10}, P90 {p90}", fr: "médiane {m} ; P10 {p10}, P90 {p90}" }
    DaysOnAverage { en: "{n} days on average (P90 {p90})", fr: "{n} jours en moyenne (P90 {p90})" }
    ShareBy { en: "{p} by {day}", fr: "{p} d'ici le {day}" }
    TheCity { en: "the city", fr: "la ville" }

    // The paragraph a planner can paste (report and terminal).
    ParaUnderAssumptions { en: "Under these assumptions", fr: "Selon ces hypothèses" }
    ParaAsOf { en: " (as of {d})", fr: " (au {d})" }
    ParaStartsWith { en: ", {city} starts with {stock} of fuel, {days} days of demand.", fr: ", {city} part de {stock} de carburant, soit {days} jours de demande." }
    ParaChanceRationing { en: " The chance that rationing has started is {by}", fr: " La probabilité que le rationnement ait commencé est de {by}" }
    ParaMedianRationing { en: "; in the median run it starts on {day}, and rationing lasts {lasts}.", fr: " ; dans la simulation médiane, il commence le {day} et dure {lasts}." }
    ParaNeverStarts { en: "; in most runs it never starts.", fr: " ; dans la plupart des simulations, il ne commence jamais." }
    ParaChanceDry { en: " The chance that the pumps have run dry (stock gone before every request is met) is {by}; {never} of runs never run dry within the {h} days.", fr: " La probabilité que les pompes soient à sec (stock épuisé avant que toutes les demandes soient servies) est de {by} ; {never} des simulations ne sont jamais à sec sur les {h} jours." }
    ParaProtectedLose { en: " The protected classes ({names}) lose {lose} on average, {share} of their demand.", fr: " Les classes protégées ({names}) perdent en moyenne {lose}, soit {share} de leur demande." }

    // Built-in sensitivity inputs (`input_words`; the English is also data).
    InputRiskMultiplier { en: "risk multiplier: {x}", fr: "multiplicateur de risque : {x}" }
    InputInitialStock { en: "initial stock at {x}", fr: "stock initial à {x}" }
    InputSupplyFactor { en: "supply factor: {x}", fr: "facteur d'approvisionnement : {x}" }
    InputEscortUnits { en: "escort units", fr: "unités d'escorte" }
    InputFleet { en: "fleet (tankers)", fr: "flotte (citernes)" }
    InputSupplyAll { en: "supply at every source", fr: "approvisionnement de chaque source" }

    // The terminal headline (labels at most 17 characters).
    HlTitle { en: "{name} — {n} replications, seed {seed}{as_of}", fr: "{name} — {n} répétitions, graine {seed}{as_of}" }
    HlAsOf { en: ", as of {d}", fr: ", au {d}" }
    HlKeyDay { en: "{day}: {p}", fr: "{day} : {p}" }
    HlFuelNow { en: "fuel now", fr: "stock actuel" }
    HlFuelNowValue { en: "{stock} = {days} days of demand (rationing below {trigger} days)", fr: "{stock} = {days} jours de demande (rationnement sous {trigger} jours)" }
    HlPRationingBy { en: "P(rationing by)", fr: "P(rationnement)" }
    HlFirstRationing { en: "first rationing", fr: "1er rationnement" }
    HlDaysRationed { en: "days rationed", fr: "jours rationnés" }
    HlPDryBy { en: "P(dry by)", fr: "P(à sec)" }
    HlFirstDryDay { en: "first dry day", fr: "1er jour à sec" }
    HlFirstDryValue { en: "{first}; {never} of runs never dry", fr: "{first} ; {never} des simulations jamais à sec" }
    HlUnmetProtected { en: "unmet protected", fr: "manque protégé" }
    HlUnmetProtectedValue { en: "{unmet} on average ({names})", fr: "{unmet} en moyenne ({names})" }
    HlNoProtectedClass { en: "no protected class", fr: "aucune classe protégée" }
    HlUnmetByClass { en: "unmet by class", fr: "par classe" }
    HlUnmetByClassValue { en: "mean per run: rationed + dry", fr: "moyenne par simulation : rationné + à sec" }
    HlClassValue { en: "{unmet} ({share} of its demand): {rationed} rationed, {dry} dry", fr: "{unmet} ({share} de sa demande) : {rationed} rationnés, {dry} à sec" }
    HlTankersLost { en: "tankers lost", fr: "citernes perdues" }
    HlTankersLostValue { en: "{lost} on average ({burned} burned, {seized} seized)", fr: "{lost} en moyenne ({burned} brûlés, {seized} saisis)" }
    HlOutputs { en: "outputs", fr: "sorties" }
    HlOutputsValue { en: "{n} files in {dir}", fr: "{n} fichiers dans {dir}" }
    HlMattersMost { en: "matters most", fr: "pèse le plus" }
    HlMattersNone { en: "none of the {n} inputs tried moves unmet protected demand beyond Monte Carlo noise", fr: "aucune des {n} entrées essayées ne modifie la demande protégée non satisfaite au-delà du bruit de Monte-Carlo" }
    HlMattersRow { en: "{i}. {label}: {low} → {high} moves unmet protected {at_low} → {at_high}", fr: "{i}. {label} : {low} → {high} fait passer le manque protégé de {at_low} à {at_high}" }

    // Report: words and events.
    RoadsTagged { en: "roads tagged {tag} ({n} segment{s})", fr: "routes marquées {tag} ({n} tronçon{s})" }
    NoSegment { en: "no segment", fr: "aucun tronçon" }
    EveryDepot { en: "every depot", fr: "chaque dépôt" }
    EffRisk { en: "attack risk × {f} on {on}", fr: "risque d'attaque × {f} sur {on}" }
    EffClosed { en: "closed: {on}", fr: "fermé : {on}" }
    EffSupply { en: "supply at {at} × {f}", fr: "approvisionnement à {at} × {f}" }
    EffEscorts { en: "{n} escort unit{s} available", fr: "{n} unité{s} d'escorte disponible{s}" }
    EffDemand { en: "demand × {f} at {at}", fr: "demande × {f} à {at}" }
    EffAirlift { en: "airlift of {x} into {to}", fr: "pont aérien de {x} vers {to}" }
    EffDelivery { en: "one-off delivery of {x} to {to}", fr: "livraison ponctuelle de {x} à {to}" }
    EffAttack { en: "attack on record: {n} tankers lost on {on}", fr: "attaque constatée : {n} citernes perdues sur {on}" }
    EffReserve { en: "{x} set aside at {at} for the protected classes", fr: "{x} mis de côté à {at} pour les classes protégées" }

    // Report: headline table.
    RowDaysNow { en: "Days of fuel now (stock at day 0 / day-0 demand)", fr: "Jours de carburant aujourd'hui (stock au jour 0 / demande du jour 0)" }
    DaysAndLitres { en: "{days} days ({litres})", fr: "{days} jours ({litres})" }
    RowPRationingBy { en: "P(rationing by {day})", fr: "P(rationnement d'ici le {day})" }
    RowFirstRationing { en: "First rationing day", fr: "Premier jour de rationnement" }
    RowNeverRationed { en: "Runs that never rationed", fr: "Simulations sans aucun rationnement" }
    RowDaysRationed { en: "Days under rationing", fr: "Jours de rationnement" }
    RowPDryBy { en: "P(dry by {day})", fr: "P(à sec d'ici le {day})" }
    RowFirstDry { en: "First dry day", fr: "Premier jour à sec" }
    RowNeverDry { en: "Runs never dry within the horizon", fr: "Simulations jamais à sec dans l'horizon" }
    RowUnmetProtected { en: "Unmet demand of the protected classes ({names}), mean per run", fr: "Demande non satisfaite des classes protégées ({names}), moyenne par simulation" }
    NoneWord { en: "none", fr: "aucune" }
    WithStandardError { en: "{x} (standard error {se})", fr: "{x} (erreur type {se})" }
    RowTankersLost { en: "Tankers lost, mean per run", fr: "Citernes perdues, moyenne par simulation" }
    LostBurnedSeized { en: "{lost} ({burned} burned, {seized} seized)", fr: "{lost} ({burned} brûlés, {seized} saisis)" }
    RowConvoysAttacked { en: "Convoys attacked, mean per run", fr: "Convois attaqués, moyenne par simulation" }
    CommaProtected { en: ", protected", fr: ", protégée" }
    EscortsBind { en: "Escorts bind: on {n} of the {days} days, the first on {first}, every escort unit was busy on average and convoys waited for one, with {wait} tankers waiting on such a day on average; more escort units would move more fuel.", fr: "Les escortes limitent : sur {n} des {days} jours, le premier le {first}, toutes les unités d'escorte étaient occupées en moyenne et des convois en attendaient une, avec en moyenne {wait} citernes en attente ces jours-là ; davantage d'unités d'escorte achemineraient davantage de carburant." }
    FleetBinds { en: "The fleet binds: on {n} of the {days} days, the first on {first}, fewer than {five} of the tankers were idle at a source; more tankers would move more fuel where roads and supply allow.", fr: "La flotte limite : sur {n} des {days} jours, le premier le {first}, moins de {five} des citernes attendaient, disponibles, à une source ; davantage de citernes achemineraient davantage de carburant là où routes et approvisionnement le permettent." }

    // Report: chart titles and captions.
    CapStockTrigger { en: "; below the dashed line ({days} days of supply) rationing starts", fr: " ; sous la ligne en tirets ({days} jours d'autonomie), le rationnement commence" }
    TitleStockAt { en: "Fuel stock at {name}", fr: "Stock de carburant à {name}" }
    CapStock { en: "Stock at {name} in days of supply (top) and litres (bottom): the line is the median run, the dark band holds the middle half of the runs and the light band {ninety} of them{trig}.", fr: "Stock à {name} en jours d'autonomie (en haut) et en litres (en bas) : la ligne est la simulation médiane, la bande foncée contient la moitié centrale des simulations et la bande claire {ninety} d'entre elles{trig}." }
    CapNever50 { en: "never reaches {fifty} within the horizon", fr: "n'atteint jamais {fifty} dans l'horizon" }
    CapPasses50 { en: "passes {fifty} on {day}", fr: "dépasse {fifty} le {day}" }
    TitleDry { en: "Chance of rationing and of running dry, by date", fr: "Probabilité de rationnement et de mise à sec, par date" }
    CapDry { en: "The share of runs in which rationing has started (blue) and in which a depot has run dry (red) on or before each date, the daily.csv columns p_rationing_by_day and p_dry_by_day: {r} and {d} by {day}; the dry curve {half}.", fr: "La part des simulations où le rationnement a commencé (bleu) et où un dépôt a été à sec (rouge) à chaque date ou avant, les colonnes p_rationing_by_day et p_dry_by_day de daily.csv : {r} et {d} d'ici le {day} ; la courbe « à sec » {half}." }
    CapNeitherBinds { en: "Neither the escorts nor the fleet bind: on no day were all escorts busy with convoys waiting, nor fewer than {five} of the tankers idle.", fr: "Ni les escortes ni la flotte ne limitent : aucun jour toutes les escortes n'étaient occupées avec des convois en attente, ni moins de {five} des citernes disponibles." }
    TitleFleet { en: "Where the fleet is", fr: "Où se trouve la flotte" }
    CapFleet { en: "Mean tankers in each state at the end of each day (daily.csv columns trucks_*_mean): loaded on the road, waiting for an escort, held at a gate or a closure, waiting to unload, returning empty, idle at a source. {bind}", fr: "Nombre moyen de citernes dans chaque état en fin de journée (colonnes trucks_*_mean de daily.csv) : chargées sur la route, en attente d'escorte, retenues à un poste ou une fermeture, en attente de déchargement, retour à vide, disponibles à une source. {bind}" }
    TitleServed { en: "Expected fuel served, by priority class", fr: "Carburant servi attendu, par classe de priorité" }
    CapServed { en: "Mean litres served each day per priority class (solid) and demand not served (pale): the pale area is what rationing and dry days cost each class.", fr: "Litres servis en moyenne chaque jour par classe de priorité (plein) et demande non servie (pâle) : la zone pâle est ce que le rationnement et les jours à sec coûtent à chaque classe." }
    TitleDeliveries { en: "Expected deliveries by corridor", fr: "Livraisons attendues par corridor" }
    CapDeliveries { en: "Mean litres arriving each day by the port or depot where the tankers loaded, stacked, against demand (black line).", fr: "Litres arrivés en moyenne chaque jour, empilés selon le port ou le dépôt où les citernes ont chargé, face à la demande (ligne noire)." }
    CapNoTankerLost { en: " No tanker was lost in any run.", fr: " Aucune citerne n'a été perdue dans aucune simulation." }
    CapLosesMost { en: " {road} loses most: {n} tankers per run.", fr: " {road} perd le plus : {n} citernes par simulation." }
    TitleLosses { en: "Tankers lost by road segment", fr: "Citernes perdues par tronçon" }
    CapLosses { en: "Mean tankers lost per run on each road segment, split into fuel burned, fuel seized and empty trucks.{most}", fr: "Citernes perdues en moyenne par simulation sur chaque tronçon, réparties entre carburant brûlé, carburant saisi et camions vides.{most}" }
    CapNoMedian { en: "there is no median: most runs have no dry day within the horizon", fr: "il n'y a pas de médiane : la plupart des simulations n'ont aucun jour à sec dans l'horizon" }
    CapMedianIs { en: "the median is {day}", fr: "la médiane est le {day}" }
    TitleFirstDry { en: "When the pumps first run dry", fr: "Quand les pompes sont à sec pour la première fois" }
    CapFirstDry { en: "The first dry day of each run (the stock ran out before every request was met): {dry} of runs had one within {h} days and {none} none; {median}.", fr: "Le premier jour à sec de chaque simulation (stock épuisé avant que toutes les demandes soient servies) : {dry} des simulations en ont eu un dans les {h} jours et {none} aucun ; {median}." }
    TitleNetwork { en: "Road network: capacity and critical segments", fr: "Réseau routier : capacité et tronçons critiques" }
    CapNetwork { en: "The roads on a map: line width is capacity, colour is how much the maximum flow drops if that road alone is closed, and black-outlined roads form the minimum cut.", fr: "Les routes sur une carte : l'épaisseur du trait est la capacité, la couleur la baisse du flux maximal si cette route seule est fermée, et les routes cernées de noir forment la coupe minimale." }

    // Report: first screen, headline, run.
    SpanDates { en: "{h} days from {from} to {to}", fr: "{h} jours du {from} au {to}" }
    SpanDays { en: "{h} days", fr: "{h} jours" }
    ReportTitle { en: "{name}: fuel supply under blockade", fr: "{name} : approvisionnement en carburant sous blocus" }
    ReportIntro { en: "{as_of}{n} simulated runs of {span}, seed {seed}. Dates are percentiles across runs; litres are means per run, rounded to what the Monte Carlo error supports.", fr: "{as_of}{n} simulations de {span}, graine {seed}. Les dates sont des centiles sur l'ensemble des simulations ; les litres sont des moyennes par simulation, arrondies à ce que permet l'erreur de Monte-Carlo." }
    AsOfSentence { en: "As of {d}. ", fr: "Situation au {d}. " }
    LeadDaysNow { en: "{n} days of fuel now", fr: "{n} jours de carburant aujourd'hui" }
    LeadStock { en: "{stock} in stock on day 0 against {demand} of demand; rationing starts below {trigger} days of supply.", fr: "{stock} en stock au jour 0 pour une demande de {demand} ; le rationnement commence sous {trigger} jours d'autonomie." }
    SubHowSure { en: "How sure", fr: "Avec quelle certitude" }
    ColByOnOrBefore { en: "By (on or before)", fr: "Au plus tard le" }
    ColPRationing { en: "P(rationing)", fr: "P(rationnement)" }
    ColPDry { en: "P(dry)", fr: "P(à sec)" }
    SubWhatWouldChange { en: "What would change it", fr: "Ce qui changerait le résultat" }
    ColInput { en: "Input", fr: "Entrée" }
    ColValueLowBaseHigh { en: "Value: low / base / high", fr: "Valeur : basse / de base / haute" }
    ColUnmetLowHigh { en: "Unmet protected demand: low → high", fr: "Demande protégée non satisfaite : basse → haute" }
    NoteTopInputs { en: "The inputs listed are those that move the unmet demand of the protected classes most when each is set to {low} and {high} of its value, one at a time ({runs} runs each, common random numbers); only changes beyond Monte Carlo noise are listed. Method and full ranking: section \"{section}\" below.", fr: "Les entrées listées sont celles qui modifient le plus la demande non satisfaite des classes protégées quand chacune est portée à {low} puis à {high} de sa valeur, une à la fois ({runs} simulations chacune, nombres aléatoires communs) ; seuls les écarts au-delà du bruit de Monte-Carlo sont retenus. Méthode et classement complet : section « {section} » ci-dessous." }
    ParaNoInputMoves { en: "None of the {n} inputs tried moves the unmet demand of the protected classes beyond Monte Carlo noise when set to {low} or {high} of its value ({runs} runs each). Full ranking: section \"{section}\" below.", fr: "Aucune des {n} entrées essayées ne modifie la demande non satisfaite des classes protégées au-delà du bruit de Monte-Carlo quand elle est portée à {low} ou à {high} de sa valeur ({runs} simulations chacune). Classement complet : section « {section} » ci-dessous." }
    NoteTopInputsPct { en: "The inputs listed are those that move the unmet demand of the protected classes most when each uncertain input is set to the {low} and {high} percentiles of its stated range, the others at their medians, one at a time ({runs} runs each, common random numbers); only changes beyond Monte Carlo noise are listed. Method and full ranking: section \"{section}\" below.", fr: "Les entrées listées sont celles qui modifient le plus la demande non satisfaite des classes protégées quand chaque entrée incertaine est portée au {low} puis au {high} centile de son intervalle, les autres à leur médiane, une à la fois ({runs} simulations chacune, nombres aléatoires communs) ; seuls les écarts au-delà du bruit de Monte-Carlo sont retenus. Méthode et classement complet : section « {section} » ci-dessous." }
    ParaNoInputMovesPct { en: "None of the {n} uncertain inputs moves the unmet demand of the protected classes beyond Monte Carlo noise between the {low} and {high} percentiles of its stated range ({runs} runs each). Full ranking: section \"{section}\" below.", fr: "Aucune des {n} entrées incertaines ne modifie la demande non satisfaite des classes protégées au-delà du bruit de Monte-Carlo entre le {low} et le {high} centile de son intervalle ({runs} simulations chacune). Classement complet : section « {section} » ci-dessous." }
    Ordinal { en: "{n}th", fr: "{n}e" }
    ParaNoSensInput { en: "The scenario has no input that the built-in sensitivity moves.", fr: "Le scénario n'a aucune entrée que l'analyse de sensibilité intégrée fait varier." }
    ParaSensSkipped { en: "The built-in sensitivity was skipped (--no-sensitivity).", fr: "L'analyse de sensibilité intégrée n'a pas été faite (--no-sensitivity)." }
    FigDaysOfSupply { en: "Days of supply", fr: "Jours d'autonomie" }
    FigDaysOfSupplyCaption { en: "Days of supply at the depot: median run (line), middle half and {ninety} of runs (bands), the rationing trigger (dashed).", fr: "Jours d'autonomie au dépôt : simulation médiane (ligne), moitié centrale et {ninety} des simulations (bandes), seuil de rationnement (tirets)." }
    SubUnmetByClass { en: "Unmet demand by class, mean per run", fr: "Demande non satisfaite par classe, moyenne par simulation" }
    ColClassPriority { en: "Class (priority)", fr: "Classe (priorité)" }
    ColUnmetShare { en: "Unmet (share of demand)", fr: "Non satisfaite (part de la demande)" }
    ColRationed { en: "Rationed", fr: "Rationnée" }
    ColDry { en: "Dry", fr: "À sec" }
    SubWhy { en: "Why", fr: "Pourquoi" }
    HeadHeadline { en: "Headline", fr: "Résultats principaux" }
    ColMeasure { en: "Measure", fr: "Indicateur" }
    ColValue { en: "Value", fr: "Valeur" }
    SubWhoWentWithout { en: "Who went without", fr: "Qui a manqué" }
    ColBaselineDemand { en: "Baseline demand over the run", fr: "Demande de référence sur la période" }
    ColUnmetMean { en: "Unmet, mean per run", fr: "Non satisfaite, moyenne par simulation" }
    ColRunsShort { en: "Runs in which it went short (a dry day of its own)", fr: "Simulations où elle a manqué (un jour à sec pour elle)" }
    ParaDefinitions { en: "A rationing day: days of supply fell below the trigger, so the unprotected classes asked for part of their demand only. A dry day: the stock ran out before every class got what it asked for. \"By\" a date means on or before it: the daily.csv row of that date. Unmet demand is demand not served, split into rationed (withheld by rationing) and dry (asked for but not there).", fr: "Jour de rationnement : l'autonomie est passée sous le seuil, et les classes non protégées n'ont demandé qu'une partie de leur besoin. Jour à sec : le stock s'est épuisé avant que chaque classe obtienne ce qu'elle demandait. « D'ici le » une date veut dire à cette date ou avant : la ligne de cette date dans daily.csv. La demande non satisfaite est la demande non servie, répartie entre rationnée (retenue par le rationnement) et à sec (demandée mais absente)." }
    HeadRun { en: "Run", fr: "Simulation" }
    ColItem { en: "Item", fr: "Élément" }
    RunScenario { en: "Scenario", fr: "Scénario" }
    RunScenarioFiles { en: "Scenario files", fr: "Fichiers du scénario" }
    RunScenarioHash { en: "Scenario hash", fr: "Empreinte du scénario" }
    RunVersion { en: "blockade version", fr: "Version de blockade" }
    RunReplications { en: "Replications", fr: "Répétitions" }
    RunSeed { en: "Seed", fr: "Graine" }
    RunHorizon { en: "Horizon", fr: "Horizon" }
    RunOverrides { en: "Overrides (--set)", fr: "Modifications (--set)" }
    HeadCharts { en: "Charts", fr: "Graphiques" }
    FigRisk { en: "Road network: chance a convoy is attacked on {day}", fr: "Réseau routier : probabilité qu'un convoi soit attaqué le {day}" }
    FigRiskCaption { en: "The roads coloured by the chance that an unescorted convoy entering them is attacked, under the risks and closures of day {day}, the scenario's most dangerous day (the highest chance summed over the roads). Escorts lower it; line width is capacity.", fr: "Les routes colorées selon la probabilité qu'un convoi sans escorte qui s'y engage soit attaqué, avec les risques et fermetures du jour {day}, le jour le plus dangereux du scénario (la plus forte probabilité cumulée sur les routes). Les escortes la réduisent ; l'épaisseur du trait est la capacité." }
    FigLossesMap { en: "Road network: tankers lost per road", fr: "Réseau routier : citernes perdues par route" }
    FigLossesMapCaption { en: "The roads coloured by the tankers lost on them, mean per run over the whole horizon (burned or seized, loaded or empty); line width is capacity.", fr: "Les routes colorées selon les citernes qui y sont perdues, en moyenne par simulation sur tout l'horizon (brûlées ou saisies, pleines ou vides) ; l'épaisseur du trait est la capacité." }
    ParaNoCharts { en: "No charts were drawn for this run.", fr: "Aucun graphique n'a été tracé pour cette simulation." }
    NoteWrittenBy { en: "Written by blockade {version} for scenario hash {hash}. The report records no date or time: the same scenario, seed and replications give the same file.", fr: "Écrit par blockade {version} pour l'empreinte de scénario {hash}. Le rapport n'enregistre ni date ni heure : le même scénario, la même graine et les mêmes répétitions donnent le même fichier." }

    // Report: assumptions, routes, sensitivity, network.
    HeadAssumptions { en: "Assumptions", fr: "Hypothèses" }
    SubDepotsDemand { en: "Depots and demand", fr: "Dépôts et demande" }
    NoDemand { en: "no demand", fr: "aucune demande" }
    RationingRule { en: "below {days} days of supply, priority > {p} gets {share} of its demand", fr: "sous {days} jours d'autonomie, une priorité > {p} reçoit {share} de sa demande" }
    ColDepot { en: "Depot", fr: "Dépôt" }
    ColInitialStock { en: "Initial stock", fr: "Stock initial" }
    ColDaysOfSupplyDay0 { en: "Days of supply at day 0", fr: "Jours d'autonomie au jour 0" }
    ColCapacity { en: "Capacity", fr: "Capacité" }
    ColRationing { en: "Rationing", fr: "Rationnement" }
    WordProtected { en: "protected", fr: "protégée" }
    WordRationed { en: "rationed", fr: "rationnée" }
    ColDemandClass { en: "Demand class", fr: "Classe de demande" }
    ColPriority { en: "Priority", fr: "Priorité" }
    ColBaselineDemandShort { en: "Baseline demand", fr: "Demande de référence" }
    ColUnderRationing { en: "Under rationing", fr: "En rationnement" }
    SubSources { en: "Sources", fr: "Sources" }
    ColSource { en: "Source", fr: "Source" }
    ColSupply { en: "Supply", fr: "Approvisionnement" }
    ColTruckloadsPerDay { en: "Truckloads per day", fr: "Chargements par jour" }
    SubFleet { en: "Fleet, convoys and escorts", fr: "Flotte, convois et escortes" }
    PolicyRequired { en: "convoys wait for an escort", fr: "les convois attendent une escorte" }
    PolicyIfFree { en: "convoys take an escort if one is free, else leave alone", fr: "les convois prennent une escorte si l'une est libre, sinon partent seuls" }
    RowFleet { en: "Fleet", fr: "Flotte" }
    FleetValue { en: "{n} tankers of {litres}", fr: "{n} citernes de {litres}" }
    RowConvoys { en: "Convoys", fr: "Convois" }
    ConvoysValue { en: "one every {every} days per source, at most {max} tankers, replanned every {replan} days", fr: "un tous les {every} jours par source, au plus {max} citernes, replanifié tous les {replan} jours" }
    RowEscorts { en: "Escorts", fr: "Escortes" }
    EscortsValue { en: "{n} unit{s} at day 0, for routes with attack probability above {above}; {policy}", fr: "{n} unité{s} au jour 0, pour les itinéraires dont la probabilité d'attaque dépasse {above} ; {policy}" }
    RowEscortEffect { en: "Escort effect", fr: "Effet de l'escorte" }
    EscortEffectValue { en: "attack hazard × {risk}, tankers lost in an attack × {loss}", fr: "risque d'attaque × {risk}, citernes perdues par attaque × {loss}" }
    SubEvents { en: "Events", fr: "Événements" }
    ParaNoEvents { en: "No events: the baseline holds for the whole run.", fr: "Aucun événement : la situation de référence vaut pour toute la période." }
    ColStarts { en: "Starts", fr: "Début" }
    ColUntil { en: "Until", fr: "Jusqu'au" }
    ColLabel { en: "Label", fr: "Libellé" }
    ColWhatHappens { en: "What happens", fr: "Ce qui se passe" }
    SubRoutes { en: "Routes: what the plan asked for and what left", fr: "Itinéraires : ce que le plan demandait et ce qui est parti" }
    ParaRoutes { en: "Trucks per day that the dispatch plan's quotas asked of each route and that were dispatched on it (joined one of its convoys; a convoy waiting for an escort has been dispatched but has not left), means over runs and the {days} days; the {n} routes used most, of {of} (all in routes.csv).", fr: "Camions par jour que les quotas du plan d'expédition demandaient à chaque itinéraire et qui y ont été expédiés (ont rejoint l'un de ses convois ; un convoi qui attend une escorte a été expédié mais n'est pas parti), moyennes sur les simulations et les {days} jours ; les {n} itinéraires les plus utilisés, sur {of} (tous dans routes.csv)." }
    ColRoute { en: "Route", fr: "Itinéraire" }
    ColPlanned { en: "Planned, trucks/day", fr: "Prévus, camions/jour" }
    ColDispatched { en: "Dispatched, trucks/day", fr: "Expédiés, camions/jour" }
    ColShare { en: "Share", fr: "Part" }
    SensMethod { en: "One at a time, each of {n} inputs (risk multiplier events, escort units, fleet, initial stock, source supply and supply factor events) set to {low} and {high} of its value, {runs} replications each on the run's seed (common random numbers); ranked by the change in mean unmet demand of the protected classes between the two", fr: "Une à la fois, chacune des {n} entrées (événements multiplicateurs de risque, unités d'escorte, flotte, stock initial, approvisionnement des sources et événements facteurs d'approvisionnement) portée à {low} puis à {high} de sa valeur, {runs} répétitions chacune avec la graine de la simulation (nombres aléatoires communs) ; classées selon l'écart de demande moyenne non satisfaite des classes protégées entre les deux" }
    SensMethodPct { en: "One at a time, each of the scenario's {n} uncertain inputs set to the {low} and {high} percentiles of its stated range while the others stay at their medians, {runs} replications each on the run's seed (common random numbers); ranked by the change in mean unmet demand of the protected classes between the two", fr: "Une à la fois, chacune des {n} entrées incertaines du scénario portée au {low} puis au {high} centile de son intervalle, les autres restant à leur médiane, {runs} répétitions chacune avec la graine de la simulation (nombres aléatoires communs) ; classées selon l'écart de demande moyenne non satisfaite des classes protégées entre les deux" }
    ParaSensBasePct { en: "{method}. The base case is every uncertain input at its median, {runs} replications on the same seed: {base} of unmet protected demand on average. Each row can be reproduced with blockade tornado --kpi unmet_protected and its overrides.", fr: "{method}. Le cas de base place chaque entrée incertaine à sa médiane, {runs} répétitions avec la même graine : {base} de demande protégée non satisfaite en moyenne. Chaque ligne peut être reproduite avec blockade tornado --kpi unmet_protected et ses modifications." }
    ParaSensBase { en: "{method}. The base case is the run's first {runs} replications: {base} of unmet protected demand on average. Each row can be reproduced with blockade tornado --kpi unmet_protected and its overrides (summary.json lists them).", fr: "{method}. Le cas de base est formé des {runs} premières répétitions de la simulation : {base} de demande protégée non satisfaite en moyenne. Chaque ligne peut être reproduite avec blockade tornado --kpi unmet_protected et ses modifications (listées dans summary.json)." }
    ParaSensSkippedInputs { en: "Left out because a moved value made the scenario invalid: {list}.", fr: "Écartées parce que la valeur modifiée rendait le scénario invalide : {list}." }
    ColRank { en: "Rank", fr: "Rang" }
    ColLow { en: "Low", fr: "Basse" }
    ColBase { en: "Base", fr: "De base" }
    ColHigh { en: "High", fr: "Haute" }
    ColUnmetAtLow { en: "Unmet protected at low", fr: "Manque protégé, valeur basse" }
    ColAtHigh { en: "At high", fr: "Valeur haute" }
    ColSwing { en: "Swing ± standard error", fr: "Écart ± erreur type" }
    HeadNetwork { en: "Network analysis (baseline)", fr: "Analyse du réseau (référence)" }
    NetRatio { en: ", {share} of demand ({demand})", fr: ", soit {share} de la demande ({demand})" }
    ParaMaxFlow { en: "With every road open and no event applied, the network can bring at most {n} loaded trucks a day to the depots: {litres}{ratio}.", fr: "Toutes routes ouvertes et sans aucun événement, le réseau peut amener au plus {n} camions chargés par jour aux dépôts : {litres}{ratio}." }
    ParaSupplyLimit { en: "Supply, not road capacity, is the limit at: {names}.", fr: "C'est l'approvisionnement, non la capacité routière, qui limite à : {names}." }
    SubMinCut { en: "Minimum cut", fr: "Coupe minimale" }
    ParaNoMinCut { en: "No road segment is in the minimum cut: the sources' supply is what limits the flow.", fr: "Aucun tronçon n'est dans la coupe minimale : c'est l'approvisionnement des sources qui limite le flux." }
    ParaMinCut { en: "These roads together cap the maximum flow: adding capacity anywhere else cannot raise it.", fr: "Ensemble, ces routes plafonnent le flux maximal : ajouter de la capacité ailleurs ne peut pas l'augmenter." }
    ColSegment { en: "Segment", fr: "Tronçon" }
    ColId { en: "Id", fr: "Identifiant" }
    ColCapacityTrucks { en: "Capacity, trucks/day", fr: "Capacité, camions/jour" }
    SubMostCritical { en: "Most critical segments", fr: "Tronçons les plus critiques" }
    ParaNoCritical { en: "Closing any one road segment alone does not reduce the maximum flow.", fr: "Fermer un seul tronçon, quel qu'il soit, ne réduit pas le flux maximal." }
    ParaCritical { en: "How much the maximum flow drops when one segment alone is closed, largest first.", fr: "Baisse du flux maximal quand un seul tronçon est fermé, de la plus forte à la plus faible." }
    ColDrop { en: "Drop, trucks/day", fr: "Baisse, camions/jour" }
    ColShareMaxFlow { en: "Share of max flow", fr: "Part du flux maximal" }
    ColMaxFlowWithout { en: "Max flow without it", fr: "Flux maximal sans lui" }
    HtmlTitle { en: "{name} — blockade report", fr: "{name} — rapport blockade" }

    // Charts: axes.
    AxisDate { en: "Date (day 0 = {d})", fr: "Date (jour 0 = {d})" }
    AxisDayOfRun { en: "Day of the run", fr: "Jour de la simulation" }

    // Charts: units and fleet states.
    UnitMillionLitres { en: "million litres", fr: "millions de litres" }
    UnitThousandLitres { en: "thousand litres", fr: "milliers de litres" }
    UnitLitres { en: "litres", fr: "litres" }
    StateLoaded { en: "loaded, on the road", fr: "chargé, sur la route" }
    StateWaitingEscort { en: "waiting for an escort", fr: "attend une escorte" }
    StateWaitingGate { en: "waiting at a gate or a closure", fr: "attend à un poste ou une fermeture" }
    StateWaitingUnload { en: "waiting to unload", fr: "attend le déchargement" }
    StateReturning { en: "returning empty", fr: "retour à vide" }
    StateIdle { en: "idle at a source", fr: "disponible à une source" }

    // Charts: time series.
    ChDryTitle { en: "{name} — chance of rationing and of running dry, by date", fr: "{name} — probabilité de rationnement et de mise à sec, par date" }
    ChDrySubtitle { en: "Share of runs in which rationing has started ({r} by {day}) and in which the stock ran out before every request was met ({d}) on or before each date · {facts}", fr: "Part des simulations où le rationnement a commencé ({r} d'ici le {day}) et où le stock s'est épuisé avant que toutes les demandes soient servies ({d}), à chaque date ou avant · {facts}" }
    ChDryLegRationing { en: "rationing started on or before the date", fr: "rationnement commencé à la date ou avant" }
    ChDryLegDry { en: "ran dry on or before the date", fr: "à sec à la date ou avant" }
    ChDryLegLevels { en: "{a} and {b} levels", fr: "niveaux {a} et {b}" }
    ChDryNote { en: "A dry day: the stock ran out before every class got what it requested. P(dry) can fall when conditions worsen, because rationing then starts earlier and protects the stock; read it with unmet demand.", fr: "Jour à sec : le stock s'est épuisé avant que chaque classe obtienne ce qu'elle demandait. P(à sec) peut baisser quand la situation se dégrade, car le rationnement commence alors plus tôt et protège le stock ; à lire avec la demande non satisfaite." }
    ChShareOfRunsPct { en: "share of runs (%)", fr: "part des simulations (%)" }
    ChDryBy { en: "dry: {p} by {day}", fr: "à sec : {p} d'ici le {day}" }
    ChDryNotReached { en: "dry: {p} not reached by {day}", fr: "à sec : {p} non atteint au {day}" }
    ChFleetTitle { en: "{name} — where the fleet is", fr: "{name} — où se trouve la flotte" }
    ChFleetSubtitle { en: "Mean tankers in each state at the end of each day, stacked (the top is the fleet left) · {facts}", fr: "Nombre moyen de citernes dans chaque état en fin de journée, empilé (le haut est la flotte restante) · {facts}" }
    ChFleetEscortNote { en: "Escorts: {units} units in service on average, {busy} busy; {waits} convoys waiting for one on an average day. Expected values over {runs} runs.", fr: "Escortes : {units} unités en service en moyenne, {busy} occupées ; {waits} convois en attente d'escorte un jour moyen. Espérances sur {runs} simulations." }
    ChFleetNoEscortNote { en: "No escort units in this scenario. Expected values over {runs} runs.", fr: "Aucune unité d'escorte dans ce scénario. Espérances sur {runs} simulations." }
    ChTankers { en: "tankers", fr: "citernes" }
    ChPriority { en: " (priority {p})", fr: " (priorité {p})" }
    ChTotalDemand { en: "total demand", fr: "demande totale" }
    ChSolidPale { en: "solid: served · pale: not served (rationed or dry)", fr: "plein : servi · pâle : non servi (rationné ou à sec)" }
    ChServedTitle { en: "{name} — expected fuel served, by priority class", fr: "{name} — carburant servi attendu, par classe de priorité" }
    ChServedSubtitle { en: "Mean litres per day served and not served, stacked in priority order · {facts}", fr: "Litres par jour servis et non servis en moyenne, empilés par ordre de priorité · {facts}" }
    ChServedNote { en: "Expected values: means over {runs} runs (means add up across classes; medians would not). Demand is the same in every run.", fr: "Espérances : moyennes sur {runs} simulations (les moyennes s'additionnent entre classes, pas les médianes). La demande est la même dans chaque simulation." }
    ChUnitPerDay { en: "{unit} per day", fr: "{unit} par jour" }
    ChUnitPerDayMean7 { en: "{unit} per day, mean of the last 7 days", fr: "{unit} par jour, moy. sur 7 jours" }
    ChNoDemand { en: "No demand in this scenario", fr: "Aucune demande dans ce scénario" }
    ChVia { en: "via {name}", fr: "via {name}" }
    ChAirliftLayer { en: "airlift and one-off deliveries", fr: "pont aérien et livraisons ponctuelles" }
    ChDemandAll { en: "demand (all classes)", fr: "demande (toutes classes)" }
    ChDeliveriesTitle { en: "{name} — expected deliveries by corridor", fr: "{name} — livraisons attendues par corridor" }
    ChDeliveriesSubtitle { en: "Mean litres unloaded at the depots per day{smooth}, by where the tankers loaded · {facts}", fr: "Litres déchargés aux dépôts par jour en moyenne{smooth}, selon le lieu de chargement des citernes · {facts}" }
    ChMeanLast7 { en: " (mean of the last 7 days)", fr: " (moyenne des 7 derniers jours)" }
    ChDeliveriesNote { en: "Expected values: means over {runs} runs (means add up across corridors; medians would not){smooth}. Convoys arrive in batches, so single runs are lumpier than this.", fr: "Espérances : moyennes sur {runs} simulations (les moyennes s'additionnent entre corridors, pas les médianes){smooth}. Les convois arrivent par vagues : une simulation isolée est plus irrégulière." }
    ChDeliveriesSmoothNote { en: ", averaged over the 7 days ending on each date (so a delivery never shows before its day); demand is daily", fr: ", moyennées sur les 7 jours finissant à chaque date (une livraison n'apparaît donc jamais avant son jour) ; la demande est journalière" }
    ChNoFuelArrived { en: "No fuel arrived in any run", fr: "Aucun carburant n'est arrivé dans aucune simulation" }

    // Charts: stock.
    ChEventsGroup { en: "{head} ({n} events)", fr: "{head} ({n} événements)" }
    ChOnlyRun { en: "the only run (no spread to show)", fr: "la seule simulation (aucune dispersion à montrer)" }
    ChP5P95 { en: "P5–P95 ({ninety} of runs)", fr: "P5–P95 ({ninety} des simulations)" }
    ChP25P75 { en: "P25–P75 (middle half)", fr: "P25–P75 (moitié centrale)" }
    ChMedian { en: "median", fr: "médiane" }
    ChTrigger { en: "rationing trigger ({days} days)", fr: "seuil de rationnement ({days} jours)" }
    ChScenarioEvent { en: "scenario event", fr: "événement du scénario" }
    ChStorageCapacity { en: "storage capacity", fr: "capacité de stockage" }
    ChStockTitle { en: "{name} — fuel stock at {depot}", fr: "{name} — stock de carburant à {depot}" }
    ChStockSubtitle { en: "End-of-day stock as days of supply (stock ÷ that day's demand) and in litres; percentiles over {facts}", fr: "Stock en fin de journée en jours d'autonomie (stock ÷ demande du jour) et en litres ; centiles sur {facts}" }
    ChEventsNotLabelled { en: "Events not labelled above: {list}.", fr: "Événements non étiquetés ci-dessus : {list}." }
    ChNoDemandDepot { en: "No demand at this depot: days of supply are not defined.", fr: "Aucune demande à ce dépôt : les jours d'autonomie ne sont pas définis." }
    ChDaysOfSupply { en: "days of supply", fr: "jours d'autonomie" }
    ChDepotEmpty { en: "The depot is empty on every day of every run", fr: "Le dépôt est vide chaque jour de chaque simulation" }

    // Charts: bars.
    ChLossesTitle { en: "{name} — tankers lost by road segment", fr: "{name} — citernes perdues par tronçon" }
    ChLossesSubtitle { en: "Mean per run, segments with losses, most first · {facts}", fr: "Moyenne par simulation, tronçons avec pertes, les plus touchés d'abord · {facts}" }
    ChLoadedBurned { en: "loaded, fuel burned", fr: "chargée, carburant brûlé" }
    ChLoadedSeized { en: "loaded, fuel seized", fr: "chargée, carburant saisi" }
    ChEmptyBack { en: "empty (on the way back)", fr: "vide (au retour)" }
    ChLossesNote { en: "Means over {runs} runs. Each bar's label: tankers lost per run · litres lost (burned + seized).", fr: "Moyennes sur {runs} simulations. Étiquette de chaque barre : citernes perdues par simulation · litres perdus (brûlés + saisis)." }
    ChLossesMore { en: "{n} more segment{s} with fewer losses: {total} tankers per run in all.", fr: "{n} autre{s} tronçon{s} avec moins de pertes : {total} citernes par simulation au total." }
    ChLossesAxis { en: "tankers lost per run (mean over {runs} runs)", fr: "citernes perdues par simulation (moyenne sur {runs} simulations)" }
    ChNoTankerLost { en: "No tanker was lost in any run", fr: "Aucune citerne perdue dans aucune simulation" }
    ChTankersFuelLost { en: "tankers · fuel lost", fr: "citernes · pertes" }
    ChBinDay { en: "runs whose first dry day falls in that day", fr: "simulations dont le premier jour à sec tombe ce jour-là" }
    ChBinWeek { en: "runs whose first dry day falls in that week", fr: "simulations dont le premier jour à sec tombe cette semaine-là" }
    ChBin30Days { en: "runs whose first dry day falls in that 30 days", fr: "simulations dont le premier jour à sec tombe dans ces 30 jours" }
    ChMedianFirstDry { en: "median first dry day (all runs)", fr: "premier jour à sec médian (toutes simulations)" }
    ChFirstDryTitle { en: "{name} — when the pumps first run dry", fr: "{name} — quand les pompes sont à sec pour la première fois" }
    ChFirstDrySubtitle { en: "{dry} of runs had a dry day (stock gone before every request was met) within {days} days; {none}: none within the horizon · {facts}", fr: "{dry} des simulations ont eu un jour à sec (stock épuisé avant que toutes les demandes soient servies) dans les {days} jours ; {none} : aucun dans l'horizon · {facts}" }
    ChFirstDryNote { en: "Bars are shares of all {runs} runs, so they add up to {dry}.", fr: "Les barres sont des parts de l'ensemble des {runs} simulations : leur somme vaut {dry}." }
    ChFirstDryNoMedian { en: "No median: more than half of the {runs} runs never ran dry within {days} days. Bars are shares of all runs.", fr: "Pas de médiane : plus de la moitié des {runs} simulations n'ont jamais été à sec dans les {days} jours. Les barres sont des parts de l'ensemble des simulations." }
    ChShareAllRunsPct { en: "share of all runs (%)", fr: "part de l'ensemble des simulations (%)" }
    ChNoRunDry { en: "No run ran dry within the {days}-day horizon", fr: "Aucune simulation à sec dans l'horizon de {days} jours" }
    ChMedianLabel { en: "median: {day}", fr: "médiane : {day}" }

    // Charts: maps.
    MapNoDrop { en: "no drop", fr: "aucune baisse" }
    MapUpTo10 { en: "up to 10 %", fr: "jusqu'à 10\u{202F}%" }
    Map10To25 { en: "10–25 %", fr: "10–25\u{202F}%" }
    Map25To50 { en: "25–50 %", fr: "25–50\u{202F}%" }
    MapOver50 { en: "over 50 %", fr: "plus de 50\u{202F}%" }
    MapLossNone { en: "none", fr: "aucune" }
    MapLossUnder1 { en: "under 1", fr: "moins de 1" }
    MapLoss1To5 { en: "1–5", fr: "1–5" }
    MapLoss5To20 { en: "5–20", fr: "5–20" }
    MapLossOver20 { en: "over 20", fr: "plus de 20" }
    MapRiskUpTo02 { en: "up to 0.2 %", fr: "jusqu'à 0,2\u{202F}%" }
    MapRisk02To1 { en: "0.2–1 %", fr: "0,2–1\u{202F}%" }
    MapRisk1To3 { en: "1–3 %", fr: "1–3\u{202F}%" }
    MapRisk3To10 { en: "3–10 %", fr: "3–10\u{202F}%" }
    MapRiskOver10 { en: "over 10 %", fr: "plus de 10\u{202F}%" }
    MapSubtitle { en: "Max flow {n} trucks/day = {flow}/day against demand of {demand}/day", fr: "Flux maximal {n} camions/jour = {flow}/jour pour une demande de {demand}/jour" }
    MapTitleRisk { en: "{name} — road network: chance a convoy is attacked", fr: "{name} — réseau routier : probabilité qu'un convoi soit attaqué" }
    MapTitleLosses { en: "{name} — road network: tankers lost per road", fr: "{name} — réseau routier : citernes perdues par route" }
    MapTitleCrit { en: "{name} — road network: capacity and critical segments", fr: "{name} — réseau routier : capacité et tronçons critiques" }
    MapNotShown { en: "Not shown (no coordinates, no placed neighbour): {names}.", fr: "Non affichés (sans coordonnées ni voisin placé) : {names}." }
    MapPlacedBetween { en: "Placed between their neighbours (no coordinates): {names}.", fr: "Placés entre leurs voisins (sans coordonnées) : {names}." }
    MapNoCoordinates { en: "No coordinates in the scenario: nodes are placed by the number of segments from a source, not by geography.", fr: "Aucune coordonnée dans le scénario : les nœuds sont placés selon le nombre de tronçons depuis une source, non selon la géographie." }
    MapClosedThatDay { en: "Closed on that day (×): {names}.", fr: "Fermés ce jour-là (×) : {names}." }
    MapSupplyLimits { en: "Supply, not road capacity, limits the flow from: {names}.", fr: "L'approvisionnement, non la capacité routière, limite le flux depuis : {names}." }
    MapNotLabelled { en: "Not labelled (no room): {names}.", fr: "Sans étiquette (manque de place) : {names}." }
    MapShortened { en: "Shortened for room: {names}.", fr: "Abrégés faute de place : {names}." }
    MapPlaces { en: "Places", fr: "Lieux" }
    MapLoadingPoint { en: "loading point (source)", fr: "point de chargement (source)" }
    MapDepot { en: "depot (demand)", fr: "dépôt (demande)" }
    MapTown { en: "town, border post", fr: "ville, poste frontière" }
    MapCapacity { en: "Capacity, loaded trucks/day", fr: "Capacité, camions chargés/jour" }
    MapCapUpTo { en: "up to {x}", fr: "jusqu'à {x}" }
    MapCapOver { en: "over {x}", fr: "plus de {x}" }
    MapLegendRisk { en: "Chance a convoy is attacked", fr: "Probabilité d'attaque d'un convoi" }
    MapLegendLosses { en: "Tankers lost, mean per run", fr: "Citernes perdues par simulation" }
    MapLegendCrit { en: "Max flow lost if closed alone", fr: "Flux maximal perdu si seule fermée" }
    MapCut1 { en: "minimum cut: these roads", fr: "coupe minimale : ces routes" }
    MapCut2 { en: "together cap the max flow", fr: "plafonnent ensemble le flux" }
    MapClosedLegend { en: "closed on that day", fr: "fermée ce jour-là" }
    MapScale { en: "Scale", fr: "Échelle" }
    MapTopRisk { en: "Most dangerous (per passage)", fr: "Plus risquées (par passage)" }
    MapTopLosses { en: "Most tankers lost (per run)", fr: "Plus de pertes (par simul.)" }
    MapTopCrit { en: "Most critical if closed alone", fr: "Plus critiques, fermée seule" }

    // KPIs of the studies, with their unit (`kpi_label`).
    KpiFirstDryMedian { en: "first dry day, median (day)", fr: "premier jour à sec, médiane (jour)" }
    KpiPDryBy { en: "P(dry by day {d})", fr: "P(à sec d'ici le jour {d})" }
    KpiPRationingBy { en: "P(rationing by day {d})", fr: "P(rationnement d'ici le jour {d})" }
    KpiDaysRationed { en: "days under rationing", fr: "jours de rationnement" }
    KpiUnmetProtected { en: "unmet demand, protected classes (litres)", fr: "demande non servie, classes protégées (litres)" }
    KpiUnmetTotal { en: "unmet demand, all classes (litres)", fr: "demande non servie, toutes classes (litres)" }
    KpiTrucksLost { en: "tankers lost", fr: "citernes perdues" }
    KpiFuelLost { en: "fuel lost (litres)", fr: "carburant perdu (litres)" }

    // Terminal lines of the studies.
    StudyWritten { en: "written", fr: "écrits" }
    StudyNoneNeverDry { en: "none ({p}% never dry)", fr: "aucun ({p}\u{202F}% jamais à sec)" }
    TornadoHead { en: "Tornado of {kpi} — base {base} ({n} replications, seed {seed})", fr: "Tornade de {kpi} — base {base} ({n} réplications, graine {seed})" }
    TornadoSwing { en: "swing {x}", fr: "écart {x}" }
    TornadoSwingNa { en: "n/a (an end is none within the horizon)", fr: "sans objet (une extrémité sans jour dans l'horizon)" }

    // Study charts: a KPI on an axis (`charts::studies::KpiScale`).
    KsPDryName { en: "P(dry by {when})", fr: "P(à sec d'ici le {when})" }
    KsPDryTitle { en: "P(dry by day {d}) (% of runs)", fr: "P(à sec d'ici le jour {d}) (% des simulations)" }
    KsPRationingName { en: "P(rationing by {when})", fr: "P(rationnement d'ici le {when})" }
    KsPRationingTitle { en: "P(rationing by day {d}) (% of runs)", fr: "P(rationnement d'ici le jour {d}) (% des simulations)" }
    KsDaysRationedTitle { en: "days under rationing per run", fr: "jours de rationnement par simulation" }
    KsFirstDryName { en: "first dry day, median", fr: "premier jour à sec, médiane" }
    KsFirstDryTitleDate { en: "first dry day, median (date; day 0 = {date})", fr: "premier jour à sec, médiane (date ; jour 0 = {date})" }
    KsFirstDryTitleDay { en: "first dry day, median (day of the run)", fr: "premier jour à sec, médiane (jour de la simulation)" }
    KsUnmetProtectedWhat { en: "unmet demand of the protected classes per run", fr: "non servi protégé par simulation" }
    KsUnmetProtectedName { en: "unmet demand, protected classes", fr: "demande non servie, classes protégées" }
    KsUnmetTotalWhat { en: "unmet demand per run, all classes", fr: "non servi total par simulation" }
    KsUnmetTotalName { en: "unmet demand (all classes)", fr: "demande non servie (toutes classes)" }
    KsFuelLostWhat { en: "fuel lost per run, burned + seized", fr: "carburant perdu par simulation" }
    KsFuelLostName { en: "fuel lost", fr: "carburant perdu" }
    KsTrucksLostTitle { en: "tankers lost per run", fr: "citernes perdues par simulation" }
    KsWithUnit { en: "{what} ({unit})", fr: "{what} ({unit})" }
    StudyRuns { en: "{n} run{s}", fr: "{n} simulation{s}" }

    // The tornado chart.
    TorTitle { en: "{name} — what moves {kpi} most", fr: "{name} — ce qui fait le plus varier : {kpi}" }
    TorSubtitle { en: "Each assumption set to its low and high value, one at a time · {runs} each · seed {seed} · same seeds everywhere (common random numbers){facts}", fr: "Chaque hypothèse à sa valeur basse puis haute, une à la fois · {runs} chacune · graine {seed} · mêmes graines partout (nombres aléatoires communs){facts}" }
    TorLow { en: "at the low value", fr: "à la valeur basse" }
    TorHigh { en: "at the high value", fr: "à la valeur haute" }
    TorBaseLegend { en: "base case (every assumption as in the scenario)", fr: "cas de base (toutes les hypothèses du scénario)" }
    TorWhiskers { en: "±2 standard errors", fr: "±2 erreurs types" }
    TorNote { en: "Sorted by swing (|{kpi} at high − at low|), largest on top; each end gives the value tried and the {est} it gave; under each name, the input's value in the base case. Whiskers: ±2 standard errors of each end; on common random numbers the swing itself is known more precisely.", fr: "Trié par écart (|{kpi} en haut − en bas|), le plus grand en haut ; chaque extrémité donne la valeur essayée et la {est} obtenue ; sous chaque nom, sa valeur de base. Moustaches : ±2 erreurs types par extrémité ; l'écart lui-même est plus précis (nombres aléatoires communs)." }
    TorEstMedian { en: "median", fr: "médiane" }
    TorEstShare { en: "share of runs", fr: "part des simulations" }
    TorEstMean { en: "mean", fr: "moyenne" }
    TorBaseCase { en: "base case {v}", fr: "cas de base {v}" }
    TorBaseLine { en: "base case {v} · {path}", fr: "cas de base {v} · {path}" }
    TorNoChange { en: "no change: {v} at both {a} and {b}", fr: "aucun changement : {v} à {a} comme à {b}" }
    TorNothing { en: "Nothing was varied", fr: "Rien n'a varié" }

    // `network`: the terminal analysis.
    NetHead { en: "Network analysis of \"{name}\"{when}", fr: "Analyse du réseau « {name} »{when}" }
    NetAtDay { en: " at day {d} ({label})", fr: " au jour {d} ({label})" }
    NetAtBaseline { en: " at baseline (no events applied)", fr: " en situation de référence (aucun événement appliqué)" }
    NetClosed { en: "closed", fr: "fermés" }
    NetMaxFlow { en: "max flow", fr: "flux maximal" }
    NetMaxFlowValue { en: "{t} trucks/day = {x} L/day", fr: "{t} camions/jour = {x} L/jour" }
    NetDemand { en: "demand", fr: "demande" }
    NetDemandValue { en: "{d} L/day; margin {m} L/day ({p}% of demand)", fr: "{d} L/jour ; marge {m} L/jour ({p}% de la demande)" }
    NetRiskAdjusted { en: "risk-adjusted", fr: "après attaques" }
    NetRiskValue { en: "{x} L/day expected to arrive ({p}% of demand) under the dispatch plan", fr: "{x} L/jour attendus à l'arrivée ({p}% de la demande) selon le plan de répartition" }
    NetMinCut { en: "min cut", fr: "coupe minimale" }
    NetNoSegment { en: "no segment", fr: "aucun tronçon" }
    NetAndSupply { en: "and the supply of {names}", fr: "et l'approvisionnement de {names}" }
    NetInto { en: "into {id} {t} trucks/day, demand {d} L/day", fr: "vers {id} {t} camions/jour, demande {d} L/jour" }
    NetCritHead { en: "Most critical segments (max flow lost when the segment alone is closed)", fr: "Tronçons les plus critiques (flux maximal perdu quand le tronçon seul est fermé)" }
    NetColRank { en: "rank", fr: "rang" }
    NetColSegment { en: "segment", fr: "tronçon" }
    NetColName { en: "name", fr: "nom" }
    NetColCapacity { en: "capacity", fr: "capacité" }
    NetColFlow { en: "flow", fr: "flux" }
    NetColDrop { en: "drop", fr: "perte" }
    NetColDropPct { en: "drop %", fr: "perte %" }
    NetCritUnits { en: "(capacity, flow and drop in trucks/day)", fr: "(capacité, flux et perte en camions/jour)" }
    NetInterHead { en: "Worst-case interdiction (the k segments whose joint closure cuts max flow most)", fr: "Pire interdiction (les k tronçons dont la fermeture conjointe réduit le plus le flux maximal)" }
    NetLeaves { en: "leaves {t} trucks/day ({p}%)", fr: "laisse {t} camions/jour ({p}%)" }
    NetExact { en: "exact", fr: "exact" }
    NetHeuristic { en: "heuristic: greedy + 1-swap, not proven optimal", fr: "heuristique : glouton + 1 échange, optimum non prouvé" }
    NetPlanHead { en: "Dispatch plan (within roads, supply, fleet and escorts: the protected demand first by roads that need no escort, then most fuel expected to arrive, least loss, least transit time)", fr: "Plan de répartition (dans les limites des routes, de l'approvisionnement, de la flotte et des escortes : d'abord la demande protégée par les routes sans escorte, puis le plus de carburant attendu à l'arrivée, la moindre perte, le transit le plus court)" }
    NetColRoute { en: "route", fr: "itinéraire" }
    NetColTrucksPerDay { en: "trucks/day", fr: "camions/jour" }
    NetColDays { en: "days", fr: "jours" }
    NetColPAttack { en: "P(attack)", fr: "P(attaque)" }
    NetColArrive { en: "arrive %", fr: "arrivée %" }
    NetFilesWritten { en: "{n} files written to {dir}", fr: "{n} fichiers écrits dans {dir}" }
    NetFactsOnDay { en: "on {date} (day {d}): that day's closures, risks and supply applied", fr: "le {date} (jour {d}) : fermetures, risques et approvisionnement de ce jour appliqués" }

    // Charts: subtitle facts.
    FactsRuns { en: "{n} run{s} · seed {seed}", fr: "{n} simulation{s} · graine {seed}" }
    FactsOverrides { en: " · overrides: {list}", fr: " · modifications : {list}" }
    FactsBaseline { en: "baseline: all roads open, events ignored{overrides}", fr: "référence : toutes routes ouvertes, événements ignorés{overrides}" }
    FactsWorstDay { en: "on {date} (day {day}), the scenario's most dangerous day: its risks and closures{overrides}", fr: "le {date} (jour {day}), le jour le plus dangereux du scénario : ses risques et fermetures{overrides}" }
    // Terminal lines of sweep, compare, reserve and corridors.
    FactsOverridesList { en: "overrides: {list}", fr: "modifications : {list}" }
    StudyClear { en: "clear", fr: "net" }
    StudyNoise { en: "noise", fr: "bruit" }
    SweepHead { en: "Sweep of {paths} — {points} points x {n} replications, seed {seed}; {seeds}", fr: "Balayage de {paths} — {points} points x {n} répétitions, graine {seed} ; {seeds}" }
    SweepCommon { en: "common random numbers: every point uses the same seeds, so differences between points are not noise", fr: "nombres aléatoires communs : chaque point utilise les mêmes graines, les écarts entre points ne sont donc pas du bruit" }
    SweepIndependent { en: "independent seeds per point", fr: "graines indépendantes par point" }
    SweepFoot { en: "  (± is the Monte Carlo standard error; sweep.csv has the 90 % intervals)", fr: "  (± : erreur type de Monte-Carlo ; sweep.csv donne les intervalles à 90\u{202F}%)" }
    CompareHead { en: "Comparison — {n} replications each, seed {seed} (common random numbers)", fr: "Comparaison — {n} répétitions chacun, graine {seed} (nombres aléatoires communs)" }
    CompareKpi { en: "kpi", fr: "indicateur" }
    CompareNa { en: "n/a (none within horizon)", fr: "s.o. (aucun dans l'horizon)" }
    CompareFoot { en: "  (clear: the difference is more than two standard errors; noise: it is not)", fr: "  (net : l'écart dépasse deux erreurs types ; bruit : il ne les dépasse pas)" }
    ReserveDayDate { en: "day {day} ({date})", fr: "jour {day} ({date})" }
    LeverInitialStock { en: "initial stock", fr: "stock initial" }
    LeverInjection { en: "one-off injection", fr: "livraison ponctuelle" }
    LeverAirlift { en: "airlift", fr: "pont aérien" }
    LeverProtectedReserve { en: "protected reserve", fr: "réserve protégée" }
    UnitL { en: "L", fr: "L" }
    UnitLPerDay { en: "L/day", fr: "L/jour" }
    ReserveAtDay0 { en: "at day 0", fr: "au jour 0" }
    ReserveDeliveredOn { en: "delivered on {day}", fr: "livré le {day}" }
    ReserveFlown { en: "flown every day from {from} to {to}", fr: "acheminé par air chaque jour du {from} au {to}" }
    ReserveSetAside { en: "set aside on {day} for the protected classes only", fr: "mis de côté le {day} pour les seules classes protégées" }
    ReserveHead { en: "Smallest {what} ({start}) such that {classes} get all their demand on every day to {day} with probability >= {p}", fr: "Minimum de {what} ({start}) pour que la demande de {classes} soit servie en entier chaque jour jusqu'au {day} avec une probabilité >= {p}" }
    ReserveShortBefore { en: "  note          in {p} of runs these classes already go short before {day}: nothing started that day helps those runs", fr: "  remarque      dans {p} des simulations, ces classes manquent déjà avant le {day} : rien de ce qui commence ce jour-là n'aide ces simulations" }
    ReserveCapacity { en: "  capacity      the depot holds {cap} L; at that limit ({v} {unit}) P = {p}: the rest must come another way (an airlift, a reserve held elsewhere)", fr: "  capacité      le dépôt contient {cap} L ; à cette limite ({v} {unit}) P = {p} : le reste doit venir autrement (pont aérien, réserve stockée ailleurs)" }
    ReserveNotReachable { en: "  not reachable: even {v} {unit} gives P = {p}", fr: "  inatteignable : même {v} {unit} donne P = {p}" }
    ReserveOneOffCapped { en: "                a one-off delivery is capped by the depot's free room that day; --lever protected-reserve holds fuel apart", fr: "                une livraison ponctuelle est plafonnée par la place libre du dépôt ce jour-là ; --lever protected-reserve garde le carburant à part" }
    ReserveAnswer { en: "  answer        {v} {unit}  (rounded up to what the Monte Carlo noise supports; scenario \"{name}\" has {current} {unit})", fr: "  réponse       {v} {unit}  (arrondi au-dessus selon ce que permet le bruit de Monte-Carlo ; le scénario « {name} » a {current} {unit})" }
    ReserveExceeds { en: "  EXCEEDS       the depot's capacity of {cap} L: this answer cannot be stored there", fr: "  DÉPASSE       la capacité du dépôt, {cap} L : cette quantité ne peut pas y être stockée" }
    ReserveAircraft { en: "  aircraft      {rot} rotations/day at {payload} L per rotation (assumed payload; set --payload-litres), {landings} a day", fr: "  avions        {rot} rotations/jour à {payload} L par rotation (charge supposée ; voir --payload-litres), {landings} par jour" }
    ReserveOneLanding { en: "1 landing", fr: "1 atterrissage" }
    ReserveLandings { en: "{n} landings", fr: "{n} atterrissages" }
    ReserveBracket { en: "  bracket       {a} {unit} gives P = {pa}; {b} {unit} gives P = {pb} (tolerance {t} {unit})", fr: "  encadrement   {a} {unit} donne P = {pa} ; {b} {unit} donne P = {pb} (tolérance {t} {unit})" }
    ReserveBeyondRange { en: "beyond the search range", fr: "au-delà de la plage de recherche" }
    ReserveMonteCarlo { en: "  Monte Carlo   P at the answer ±{se} points (SE, {n} replications); the answer moves within {lo} – {hi} {unit} (90 %)", fr: "  Monte-Carlo   P à la réponse ±{se} points (erreur type, {n} répétitions) ; la réponse varie entre {lo} et {hi} {unit} (90\u{202F}%)" }
    ReserveEnsembles { en: "  {n} ensembles on common random numbers", fr: "  {n} ensembles sur nombres aléatoires communs" }
    CorridorClosed { en: "closed from day 0", fr: "fermée dès le jour 0" }
    CorridorRiskTimes { en: "attack risk multiplied by {f} from day 0", fr: "risque d'attaque multiplié par {f} dès le jour 0" }
    CorridorsHead { en: "Corridors of {name} — each tag {action} in turn; {n} replications each, seed {seed} (common random numbers)", fr: "Corridors de {name} — chaque étiquette {action} tour à tour ; {n} répétitions chacune, graine {seed} (nombres aléatoires communs)" }
    CorridorsBase { en: "  base case: unmet essential {p} L, unmet total {t} L per run; max flow {f} trucks/day", fr: "  cas de base : non servi essentiel {p} L, non servi total {t} L par simulation ; flux maximal {f} camions/jour" }
    CorridorsColRank { en: "rank", fr: "rang" }
    CorridorsColTag { en: "tag", fr: "étiquette" }
    CorridorsColEssential { en: "unmet essential change", fr: "écart non servi essentiel" }
    CorridorsColTotal { en: "unmet total change", fr: "écart non servi total" }
    CorridorsColFlowLost { en: "max flow lost", fr: "flux max perdu" }
    CorridorsFoot { en: "  (change per run against the base case, ± the standard error of the paired difference; clear: more than two of them. Max flow lost: static, from the network alone)", fr: "  (écart par simulation par rapport au cas de base, ± l'erreur type de la différence appariée ; net : plus de deux erreurs types. Flux max perdu : statique, d'après le seul réseau)" }

    // Terminal lines of calibrate.
    CalHead { en: "calibrate {name}: {inputs} inputs, {obs} observations, {waves} waves, {n} replications (seed {seed}, {per_point} per point, cut-off {cutoff}, model discrepancy {disc} % of each observed value, ensemble variance {var})", fr: "calibrage de {name} : {inputs} entrées, {obs} observations, {waves} vagues, {n} répétitions (graine {seed}, {per_point} par point, seuil {cutoff}, écart du modèle {disc}\u{202F}% de chaque valeur observée, variance de l'ensemble {var})" }
    CalVarianceIn { en: "in", fr: "incluse" }
    CalVarianceOut { en: "left out", fr: "exclue" }
    CalWave { en: "  wave {k}: {kept} of {points} points not implausible ({p} %); estimated non-implausible share of the prior {mass}", fr: "  vague {k} : {kept} points sur {points} non invraisemblables ({p}\u{202F}%) ; part non invraisemblable estimée de la loi a priori {mass}" }
    CalStopped { en: "  stopped: {why}", fr: "  arrêt : {why}" }
    CalStopAllRejected { en: "every point of the first wave was implausible", fr: "tous les points de la première vague étaient invraisemblables" }
    CalStopWaveRejected { en: "the last wave retained no point; the previous wave's points are kept", fr: "la dernière vague n'a retenu aucun point ; ceux de la vague précédente sont gardés" }
    CalStopConverged { en: "the non-implausible share stopped shrinking", fr: "la part non invraisemblable a cessé de diminuer" }
    CalStopBudget { en: "the replication budget was spent", fr: "le budget de répétitions est épuisé" }
    CalStopMaxWaves { en: "the most waves were run", fr: "le nombre maximal de vagues est atteint" }
    CalRuledOutHead { en: "  points ruled out, by observation (of {n} evaluated; alone: no other observation rules them out):", fr: "  points écartés, par observation (sur {n} évalués ; seule : aucune autre observation ne les écarte) :" }
    CalRuledOutLine { en: "    {id}: {n} (alone {alone})", fr: "    {id} : {n} (seule {alone})" }
    CalAllImplausible { en: "every point is implausible: no values of the uncertain inputs in their prior ranges reproduce the observations within their stated uncertainty.\nThe observations that rule points out most (smallest implausibility over all points):", fr: "tous les points sont invraisemblables : aucune valeur des entrées incertaines dans leurs plages a priori ne reproduit les observations à leur incertitude près.\nLes observations qui écartent le plus de points (plus petite invraisemblance sur tous les points) :" }
    CalWorstLine { en: "  {id} ({period}): observed {value} {unit}; smallest implausibility {b}", fr: "  {id} ({period}) : observé {value} {unit} ; plus petite invraisemblance {b}" }
    CalCheckObservations { en: "Check the observations' values and uncertainty, widen the priors, or state a larger --discrepancy.", fr: "Vérifiez les valeurs et l'incertitude des observations, élargissez les lois a priori ou donnez un --discrepancy plus grand." }
    CalInputsHead { en: "  inputs (retained range against the prior's):", fr: "  entrées (plage retenue face à celle de la loi a priori) :" }
    CalInputLine { en: "    {path}: {a} to {b} of {c} to {d} ({p}){judge}", fr: "    {path} : {a} à {b} sur {c} à {d} ({p}){judge}" }
    CalTooFewPoints { en: " — too few retained points to judge", fr: " — trop peu de points retenus pour juger" }
    CalNotIdentified { en: " — not identified by these observations", fr: " — non identifiée par ces observations" }
    CalLeftOut { en: "  left out (--exclude): {ids}", fr: "  écartées (--exclude) : {ids}" }
    CalSpeed { en: "  {n} replications in {s} s ({rate} replications/s)", fr: "  {n} répétitions en {s} s ({rate} répétitions/s)" }
    ObsTrucksLost { en: "trucks lost", fr: "camions perdus" }
    ObsAttacks { en: "attacks", fr: "attaques" }
    ObsLitresDelivered { en: "litres delivered", fr: "litres livrés" }
    ObsTruckloadsDelivered { en: "truckloads delivered", fr: "citernes livrées" }
    ObsConvoysArrived { en: "convoys arrived", fr: "convois arrivés" }
    ObsLitresInStock { en: "litres in stock", fr: "litres en stock" }
    ObsDaysDry { en: "days dry", fr: "jours à sec" }
    // Study charts: values of a varied path (`charts::kit::ValueScale`).
    ValuePerDay { en: "{unit} per day", fr: "{unit} par jour" }
    ShortMLPerDay { en: "M L/day", fr: "M L/jour" }
    ShortKLPerDay { en: "k L/day", fr: "k L/jour" }

    // The sweep chart.
    SwXInForce { en: "{title}: base value → as it acts under the scenario's ×{m} multiplier (from {when})", fr: "{title} : valeur de base → telle qu'elle agit sous le multiplicateur ×{m} du scénario (dès le {when})" }
    SwXInForceMany { en: "{title}: base value; the scenario multiplies it ×{m} from {when} (acting as 1 − (1 − risk)^{m})", fr: "{title} : valeur de base ; le scénario la multiplie par {m} dès le {when} (effet : 1 − (1 − risque)^{m})" }
    SwXOnTop { en: "{title} (on top of the scenario's own multipliers)", fr: "{title} (en plus des multiplicateurs propres au scénario)" }
    SwMedianOverRuns { en: "median over runs", fr: "médiane des simulations" }
    SwShareOfRuns { en: "share of runs", fr: "part des simulations" }
    SwMeanOverRuns { en: "mean over runs", fr: "moyenne des simulations" }
    SwBandSpread { en: "P5–P95 across runs (90 % of runs fall here)", fr: "P5–P95 des simulations (90\u{202F}% des simulations s'y trouvent)" }
    SwBandWilson { en: "90 % confidence interval of the share (Wilson)", fr: "intervalle de confiance à 90\u{202F}% de la part (Wilson)" }
    SwWhiskersLong { en: "±2 standard errors (Monte Carlo noise of the estimate)", fr: "±2 erreurs types (bruit de Monte-Carlo de l'estimation)" }
    SwShaded { en: "shaded: {band}", fr: "zone ombrée : {band}" }
    SwSeedsCommon { en: "the same seeds at every point (common random numbers)", fr: "mêmes graines à chaque point (nombres aléatoires communs)" }
    SwSubtitle { en: "{est} of {runs} at each value of {path} · seed {seed} · {seeds}{facts}", fr: "{est} de {runs} à chaque valeur de {path} · graine {seed} · {seeds}{facts}" }
    SwMedianOf { en: "Median", fr: "Médiane" }
    SwShareOf { en: "Share", fr: "Part" }
    SwMeanOf { en: "Mean", fr: "Moyenne" }
    SwEachMedian { en: "median", fr: "médiane" }
    SwEachShare { en: "share", fr: "part" }
    SwEachMean { en: "mean", fr: "moyenne" }
    SwTheMedian { en: "median", fr: "la médiane" }
    SwTheShare { en: "share", fr: "la part" }
    SwTheMean { en: "mean", fr: "la moyenne" }
    SwNoteCommon { en: "Every point uses the same seeds (common random numbers): run r of each point meets the same dice, so differences between points come from the value, not from luck, and are known more precisely than the bars (±2 standard errors of each {each}) suggest.", fr: "Chaque point utilise les mêmes graines (nombres aléatoires communs) : la simulation r de chaque point tire les mêmes dés, les écarts entre points viennent donc de la valeur et non du hasard, et sont connus plus précisément que ne le laissent penser les barres (±2 erreurs types de chaque {each})." }
    SwNoteIndependent { en: "Each point has its own seeds (--independent-seeds): differences between points include luck. Bars: ±2 standard errors of the {the}.", fr: "Chaque point a ses propres graines (--independent-seeds) : les écarts entre points incluent le hasard. Barres : ±2 erreurs types de {the}." }
    SwNoteOutside { en: "Where the {the} lies outside its band, a few runs went far worse than the rest (the {the} feels them, the percentiles do not).", fr: "Là où {the} sort de sa bande, quelques simulations ont été bien pires que les autres ({the} les ressent, les percentiles non)." }
    SwNoteNeverDry { en: "Runs never dry count as the end of the horizon (day {h}): a point on the dashed line means most runs had no dry day within it.", fr: "Les simulations jamais à sec comptent comme la fin de l'horizon (jour {h}) : un point sur la ligne pointillée signifie que la plupart des simulations n'y ont eu aucun jour à sec." }
    SwNoteLines { en: "One line per combination of {paths}.", fr: "Une ligne par combinaison de {paths}." }
    SwBaseArrow { en: "base case: {v} → {p}", fr: "cas de base : {v} → {p}" }
    SwBase { en: "base case: {v}", fr: "cas de base : {v}" }
    SwLone { en: "{v} (one point: nothing to compare)", fr: "{v} (un seul point : rien à comparer)" }
    SwLongTitle { en: "{name} — {kpi} against {x}", fr: "{name} — {kpi} selon {x}" }
    SwNoPoint { en: "No point was run", fr: "Aucun point simulé" }
    SwHorizonLine { en: "end of the horizon (day {d}): none within it", fr: "fin de l'horizon (jour {d}) : aucun dans l'horizon" }
    // The corridors chart.
    CorTitle { en: "{name} — which corridor matters most", fr: "{name} — quel corridor compte le plus" }
    CorSubtitle { en: "Each tag {action} in turn, everything else as in the scenario · {runs} each · seed {seed} · the same seeds everywhere (common random numbers){facts}", fr: "Chaque étiquette {action} tour à tour, tout le reste comme dans le scénario · {runs} chacune · graine {seed} · mêmes graines partout (nombres aléatoires communs){facts}" }
    CorLegendEssential { en: "rise in unmet essential demand", fr: "hausse de la demande essentielle non servie" }
    CorLegendTotal { en: "rise in unmet demand, all classes", fr: "hausse de la demande non servie, toutes classes" }
    CorLegendPale { en: "pale: within Monte Carlo noise", fr: "pâle : dans le bruit de Monte-Carlo" }
    CorLegendWhiskers { en: "±2 standard errors of the paired difference", fr: "±2 erreurs types de la différence appariée" }
    CorNote { en: "Ranked by the rise in unmet essential demand per run against the base case ({p} essential, {t} all classes); solid bars are clear of noise (more than two standard errors of the paired difference). Static max flow lost: the share of the roads' capacity ({f} trucks/day, events of day 0) lost with the tag closed, attacks ignored.", fr: "Classées par hausse du non servi essentiel par simulation face au cas de base ({p} essentiel, {t} toutes classes) ; barres pleines : nettes du bruit (plus de deux erreurs types de la différence appariée). Flux max. statique perdu : part de la capacité routière ({f} camions/jour, jour 0) perdue étiquette fermée, sans attaques." }
    CorSegments { en: "{n} segment{s}", fr: "{n} tronçon{s}" }
    CorPanelEssential { en: "unmet essential: change per run ({unit})", fr: "écart par simul., essentiel ({unit})" }
    CorPanelTotal { en: "unmet, all classes: change per run ({unit})", fr: "écart par simul., toutes classes ({unit})" }
    CorPanelFlowLost { en: "static max flow lost (%)", fr: "flux max. statique perdu (%)" }
    CorNoTag { en: "No tag to act on", fr: "Aucune étiquette sur laquelle agir" }
    // The reserve chart.
    ResTheDepot { en: "the depot", fr: "le dépôt" }
    ResWhatStock { en: "initial stock at {depot}", fr: "stock initial à {depot}" }
    ResWhatInjection { en: "injection into {depot} on {when}", fr: "livraison à {depot} le {when}" }
    ResWhatAirlift { en: "airlift into {depot} from {when}", fr: "pont aérien vers {depot} dès le {when}" }
    ResWhatProtected { en: "protected reserve at {depot} from {when}", fr: "réserve protégée à {depot} dès le {when}" }
    ResPerDay { en: " per day", fr: " par jour" }
    ResShortPerDay { en: "{short}/day", fr: "{short}/jour" }
    ResYTitle { en: "chance {classes} fully served (% of runs)", fr: "{classes} servi en entier (% des simulations)" }
    ResZoomTitle { en: "near the answer ({unit}{per_day})", fr: "près de la réponse ({unit}{per_day})" }
    ResWhoOne { en: "the {classes} class gets all its demand", fr: "la classe {classes} reçoive toute sa demande" }
    ResWhoMany { en: "the {classes} classes get all their demand", fr: "les classes {classes} reçoivent toute leur demande" }
    ResTitle { en: "{name} — smallest {lever} for {conf} % confidence", fr: "{name} — minimum de {lever} pour une confiance de {conf}\u{202F}%" }
    ResLeverInjection { en: "injection", fr: "livraison ponctuelle" }
    ResSubtitle { en: "Chance that {who} through {when}, by {by}; {ens} of {runs} · seed {seed} · common random numbers{facts}", fr: "Probabilité que {who} jusqu'au {when}, selon « {by} » ; {ens} de {runs} · graine {seed} · nombres aléatoires communs{facts}" }
    ResByInjected { en: "litres injected", fr: "litres livrés" }
    ResByAirlift { en: "airlift rate", fr: "débit du pont aérien" }
    ResBySetAside { en: "litres set aside", fr: "litres mis de côté" }
    ResOneEnsemble { en: "1 ensemble", fr: "1 ensemble" }
    ResEnsembles { en: "{n} ensembles", fr: "{n} ensembles" }
    ResLegendChance { en: "estimated chance at each value tried", fr: "probabilité estimée à chaque valeur essayée" }
    ResLegendTarget { en: "target: {conf} %", fr: "cible : {conf}\u{202F}%" }
    ResLegendAnswer { en: "answer", fr: "réponse" }
    ResSpan { en: ": {a} – {b}", fr: " : {a} – {b}" }
    ResSpanFrom { en: ": from {v}", fr: " : à partir de {v}" }
    ResLegendMc { en: "Monte Carlo uncertainty of the answer (90 %){span}", fr: "incertitude de Monte-Carlo de la réponse (90\u{202F}%){span}" }
    ResLegendScenario { en: "value in the scenario", fr: "valeur du scénario" }
    ResNotReachable { en: "Not reachable: even {v} gives a chance of {p} %, below the target of {conf} %.", fr: "Inatteignable : même {v} ne donne qu'une probabilité de {p}\u{202F}%, sous la cible de {conf}\u{202F}%." }
    ResNoneNeeded { en: "No reserve needed: with none at all the chance is already {p} % (target {conf} %).", fr: "Aucune réserve nécessaire : sans rien, la probabilité est déjà de {p}\u{202F}% (cible {conf}\u{202F}%)." }
    ResAnswerNote { en: "Answer {v} (rounded up to what the Monte Carlo noise supports; the scenario has {current}). The search converged to the bracket {a} ({pa} %) – {b} ({pb} %).", fr: "Réponse {v} (arrondie au-dessus selon ce que permet le bruit de Monte-Carlo ; le scénario a {current}). La recherche a convergé vers l'encadrement {a} ({pa}\u{202F}%) – {b} ({pb}\u{202F}%)." }
    ResMcNote { en: "With {runs} per ensemble the chance is known to ±{se} points (SE), so the answer could lie anywhere in {lo} – {hi} (90 %); more runs (-n) narrow it.", fr: "Avec {runs} par ensemble, la probabilité est connue à ±{se} points près (erreur type) : la réponse peut se situer entre {lo} et {hi} (90\u{202F}%) ; plus de simulations (-n) resserrent cet intervalle." }
    ResCapExceeds { en: "The answer exceeds the depot's capacity of {cap}: filled to that limit ({v}) the chance is {p} %; the rest must come another way (an airlift, a reserve held elsewhere).", fr: "La réponse dépasse la capacité du dépôt, {cap} : rempli à cette limite ({v}), la probabilité est de {p}\u{202F}% ; le reste doit venir autrement (pont aérien, réserve stockée ailleurs)." }
    ResCapBeyond { en: "Beyond reach, and the depot's capacity of {cap}: filled to that limit ({v}) the chance is {p} %; the rest must come another way (an airlift, a reserve held elsewhere).", fr: "Hors d'atteinte, au-delà de la capacité du dépôt, {cap} : rempli à cette limite ({v}), la probabilité est de {p}\u{202F}% ; le reste doit venir autrement (pont aérien, réserve stockée ailleurs)." }
    ResRotations { en: "{rot} aircraft rotations a day at {payload} L each (an assumed C-130-class payload with bladder tanks; --payload-litres).", fr: "{rot} rotations d'avion par jour à {payload} L chacune (charge supposée d'un C-130 avec réservoirs souples ; --payload-litres)." }
    ResDepotCapacity { en: "depot capacity {v}", fr: "capacité du dépôt {v}" }
    ResAnswerZero { en: "answer 0: no reserve needed", fr: "réponse 0 : aucune réserve nécessaire" }
    ResAnswerMark { en: "answer {v}", fr: "réponse {v}" }
    ResTargetMark { en: "target {conf} %", fr: "cible {conf}\u{202F}%" }
    ResInScenario { en: "in the scenario: {v}", fr: "dans le scénario : {v}" }
    ResNoEnsemble { en: "No ensemble was run", fr: "Aucun ensemble simulé" }
    // The compare charts.
    CmpFacts { en: "{runs} each · seed {seed} · same seeds in every scenario (common random numbers)", fr: "{runs} chacun · graine {seed} · mêmes graines dans chaque scénario (nombres aléatoires communs)" }
    CmpDateNote { en: "The scenarios start on different dates: the axis counts days from each one's day 0.", fr: "Les scénarios commencent à des dates différentes : l'axe compte les jours depuis le jour 0 de chacun." }
    CmpAnd { en: "{a} and {b}", fr: "{a} et {b}" }
    CmpAtDepot { en: "at {d}", fr: "à {d}" }
    CmpAtFirstDepot { en: "at each scenario's first depot", fr: "au premier dépôt de chaque scénario" }
    CmpNoDepot { en: "no depot", fr: "aucun dépôt" }
    CmpStockTitle { en: "{names} — fuel stock {where_}", fr: "{names} — stock de carburant {where_}" }
    CmpStockSubtitle { en: "End-of-day stock in {unit}{dos}: line = median run, band = P25–P75 (middle half of runs) · {facts}", fr: "Stock en fin de journée en {unit}{dos} : ligne = simulation médiane, bande = P25–P75 (moitié centrale des simulations) · {facts}" }
    CmpDosNote { en: " (stock ÷ that day's demand)", fr: " (stock ÷ demande du jour)" }
    CmpDemandItem { en: "{n} {x} M L/day", fr: "{n} {x} M L/jour" }
    CmpDemandNote { en: "Days of supply make scenarios with different demand comparable; demand on day 0: {list}.", fr: "Les jours d'autonomie rendent comparables des scénarios aux demandes différentes ; demande au jour 0 : {list}." }
    CmpIdentical { en: "Identical results, drawn on top of each other: {list}.", fr: "Résultats identiques, tracés l'un sur l'autre : {list}." }
    CmpDryLegend { en: "{n}: {p} % by {when}", fr: "{n} : {p}\u{202F}% au {when}" }
    Cmp50And90 { en: "50 % and 90 %", fr: "50\u{202F}% et 90\u{202F}%" }
    Cmp50 { en: "50 %", fr: "50\u{202F}%" }
    CmpDryTitle { en: "{names} — chance of running dry by date", fr: "{names} — probabilité d'être à sec, par date" }
    CmpDrySubtitle { en: "Share of runs in which the stock ran out before every request was met, on or before each date · {facts}", fr: "Part des simulations où le stock s'est épuisé avant que toutes les demandes soient servies, au plus tard à chaque date · {facts}" }
    CmpDryAxis { en: "share of runs that ran dry (%)", fr: "part des simulations à sec (%)" }
    CmpNoDry { en: "No run of any scenario ran dry", fr: "Aucune simulation d'aucun scénario n'a été à sec" }
    // The calibration charts.
    CalMTooFew { en: "too few retained points ({n}) to judge a range", fr: "trop peu de points ({n})" }
    CalMRetained { en: "retained {a}–{b}", fr: "retenue {a}–{b}" }
    CalMNotIdentified { en: "not identified", fr: "non identifiée" }
    CalMTitle { en: "{name}: what the observations leave of each uncertain input", fr: "{name} : les entrées incertaines après les observations" }
    CalMSubtitle { en: "history matching, {waves} waves, {n} replications; {kept} retained of the last wave's {last}", fr: "calage par élimination (history matching), {waves} vagues, {n} répétitions ; {kept} retenus sur les {last} de la dernière vague" }
    CalOnePoint { en: "1 point", fr: "1 point" }
    CalPoints { en: "{k} points", fr: "{k} points" }
    CalMLegendPrior { en: "prior (first wave's points)", fr: "a priori (points de la première vague)" }
    CalMLegendRetained { en: "retained (not implausible)", fr: "retenus (non invraisemblables)" }
    CalMNote { en: "Each panel spans the prior's range. Bars are shares of each set, so the two shapes compare. \"Not identified\": the retained range is over half the prior's: these observations cannot narrow it.", fr: "Chaque panneau couvre la plage a priori. Les barres sont des parts de chaque ensemble : les deux formes se comparent. « Non identifiée » : la plage retenue dépasse la moitié de la plage a priori ; ces observations ne peuvent pas la resserrer." }
    CalOTitle { en: "{name}: observed against simulated", fr: "{name} : observé face au simulé" }
    CalOSubtitle { en: "bars: lowest to highest simulated mean over the points; dot: their median", fr: "barres : de la plus basse à la plus haute moyenne simulée sur les points ; point : leur médiane" }
    CalOLegendObserved { en: "observed (range, ±2 sd, or bound)", fr: "observé (plage, ±2 écarts types, ou borne)" }
    CalOLegendPrior { en: "prior (first wave)", fr: "a priori (première vague)" }
    CalOLegendCalibrated { en: "calibrated (retained points)", fr: "calibré (points retenus)" }
    CalONote { en: "An open-ended bar is a bound (\"at least 130\"). Each panel has its own scale.", fr: "Une barre ouverte est une borne (« au moins 130 »). Chaque panneau a sa propre échelle." }
    CalPWhich { en: "the {n} of {total} inputs narrowed most (all: calibration-points.csv); ", fr: "les {n} entrées sur {total} les plus resserrées (toutes : calibration-points.csv) ; " }
    CalPTitle { en: "{name}: retained inputs, two at a time", fr: "{name} : entrées retenues, deux à deux" }
    CalPSubtitle { en: "{which}{kept} retained points over the first wave's {first}; axes span the priors", fr: "{which}{kept} points retenus sur les {first} de la première vague ; les axes couvrent les plages a priori" }
    CalPLegendFirst { en: "first wave (a Latin hypercube over the prior)", fr: "première vague (hypercube latin sur la loi a priori)" }
    CalPLegendRetained { en: "retained", fr: "retenus" }
    CalTTitle { en: "{name}: the observations on their dates", fr: "{name} : les observations à leurs dates" }
    CalTSubtitle { en: "each observation across its period, at its value, beside the simulated mean over the same period; one panel per thing observed, each with its own scale", fr: "chaque observation sur sa période, à sa valeur, à côté de la moyenne simulée sur la même période ; un panneau par chose observée, chacun à sa propre échelle" }
    CalTLegendRange { en: "observed (range or ±2 sd)", fr: "observé (plage ou ±2 écarts types)" }
    CalTLegendValue { en: "observed value or bound", fr: "valeur observée ou borne" }
    CalTLegendPrior { en: "prior (median over points)", fr: "a priori (médiane sur les points)" }
    CalTLegendCalibrated { en: "calibrated (median, lowest–highest)", fr: "calibré (médiane, plus bas–plus haut)" }
    CalTNote { en: "A count over a period is drawn across that period: a month's losses across the month, a running total across its whole span. \"≥\": at least this many (other events may have gone unreported). Ids as in calibration-observed.csv.", fr: "Un décompte sur une période est tracé sur toute la période : les pertes d'un mois sur le mois, un cumul sur toute sa durée. « ≥ » : au moins autant (d'autres événements ont pu ne pas être signalés). Identifiants comme dans calibration-observed.csv." }
    // Uncertain inputs: the report's section, its charts and the terminal lines.
    InMeasureDryBy { en: "dry by day {d}", fr: "à sec d'ici le jour {d}" }
    InMeasureUnmetTotal { en: "total unmet demand", fr: "demande non satisfaite totale" }
    InMeasureFirstRationing { en: "first day of rationing", fr: "premier jour de rationnement" }
    InSourceDrawn { en: "drawn", fr: "tirée" }
    InSourceCalibrated { en: "calibrated", fr: "calibrée" }
    InHeading { en: "Uncertain inputs", fr: "Entrées incertaines" }
    InParaOne { en: "1 input of this scenario is not known exactly: each run draws it once from its own range{file}, so the bands below include what we do not know as well as chance. {compare}", fr: "1 entrée de ce scénario n'est pas connue exactement : chaque simulation la tire une fois dans son intervalle{file}, si bien que les bandes ci-dessous comprennent ce que nous ignorons autant que le hasard. {compare}" }
    InParaMany { en: "{n} inputs of this scenario are not known exactly: each run draws them once from their own range{file}, so the bands below include what we do not know as well as chance. {compare}", fr: "{n} entrées de ce scénario ne sont pas connues exactement : chaque simulation les tire une fois dans leur intervalle{file}, si bien que les bandes ci-dessous comprennent ce que nous ignorons autant que le hasard. {compare}" }
    InParaFile { en: " (the inputs marked calibrated take, in turn, the points retained by calibration in {file})", fr: " (les entrées marquées calibrées prennent tour à tour les points retenus par la calibration dans {file})" }
    InCompare { en: "P(dry by {day}): {with} with input uncertainty, {without} with every input at its median; total unmet demand {unmet_with} against {unmet_without} (means per run).", fr: "P(à sec d'ici le {day}) : {with} avec l'incertitude sur les entrées, {without} avec chaque entrée à sa médiane ; demande non satisfaite totale {unmet_with} contre {unmet_without} (moyennes par simulation)." }
    InFigFanTitle { en: "With and without input uncertainty", fr: "Avec et sans incertitude sur les entrées" }
    InFigFanCaption { en: "Days of supply at the depot. Left: each run draws its own inputs. Right: every input fixed at its median, on the same random numbers otherwise. The difference is what the uncertain inputs add.", fr: "Jours d'autonomie au dépôt. À gauche : chaque simulation tire ses propres entrées. À droite : chaque entrée fixée à sa médiane, avec les mêmes nombres aléatoires par ailleurs. L'écart est ce qu'ajoutent les entrées incertaines." }
    InFigCalTitle { en: "Before and after calibration", fr: "Avant et après calibration" }
    InFigCalCaption { en: "Days of supply at the depot. Left: each run draws its inputs from their ranges. Right: each run takes, in turn, a point that calibration retained, on the same random numbers otherwise. The difference is what the observations taught.", fr: "Jours d'autonomie au dépôt. À gauche : chaque simulation tire ses entrées dans leurs intervalles. À droite : chaque simulation prend tour à tour un point retenu par la calibration, avec les mêmes nombres aléatoires par ailleurs. L'écart est ce qu'ont appris les observations." }
    InColInput { en: "Input", fr: "Entrée" }
    InColRange { en: "Range", fr: "Intervalle" }
    InColMedian { en: "Median", fr: "Médiane" }
    InColShare { en: "Share of spread: {measure}", fr: "Part de la dispersion : {measure}" }
    InFigImportanceTitle { en: "Which input explains the spread", fr: "Quelle entrée explique la dispersion" }
    InFigImportanceCaption { en: "First-order index of each input: the share of the spread across runs that knowing the input alone would remove, with ±2 Monte Carlo errors.", fr: "Indice de premier ordre de chaque entrée : la part de la dispersion entre simulations que la seule connaissance de l'entrée supprimerait, avec ±2 erreurs de Monte-Carlo." }
    InNote { en: "Method: {method}. An index is the share of the variance across runs of a measure (dry by the day shown: 0 or 1; total unmet demand; first day of rationing, the horizon when none) explained by one input on its own; the rest is chance in the convoys and interactions. Each index is rounded to its Monte Carlo error, given after ±. Each run's values: inputs.csv.", fr: "Méthode : {method}. Un indice est la part de la variance entre simulations d'une mesure (à sec d'ici le jour indiqué : 0 ou 1 ; demande non satisfaite totale ; premier jour de rationnement, l'horizon s'il n'y en a pas) expliquée par une entrée à elle seule ; le reste est le hasard des convois et les interactions. Chaque indice est arrondi à son erreur de Monte-Carlo, donnée après ±. Les valeurs de chaque simulation : inputs.csv." }
    InMethod { en: "first-order variance-based index, given-data estimator: each input's draws cut into up to {bins} quantile bins over the {runs} replications, Var(E[Y|bin]) / Var(Y) corrected for the noise between bins; Monte Carlo error = standard deviation over {resamples} bootstrap resamples (docs/model.md §7c)", fr: "indice de premier ordre fondé sur la variance, estimateur sur données : les tirages de chaque entrée découpés en au plus {bins} classes de quantiles sur les {runs} répétitions, Var(E[Y|classe]) / Var(Y) corrigé du bruit entre classes ; erreur de Monte-Carlo = écart type sur {resamples} rééchantillonnages bootstrap (docs/model.md §7c)" }
    InMethodNone { en: "no index: fewer than 20 replications", fr: "pas d'indice : moins de 20 répétitions" }
    InChTitle { en: "{name} — which uncertain input explains the spread", fr: "{name} — quelle entrée incertaine explique la dispersion" }
    InChSubtitle { en: "Share of the spread across runs each input explains on its own (0 = none, 1 = all) · {facts}", fr: "Part de la dispersion entre simulations que chaque entrée explique à elle seule (0 = rien, 1 = tout) · {facts}" }
    InChErrors { en: "±2 Monte Carlo errors", fr: "±2 erreurs de Monte-Carlo" }
    InChAxis { en: "first-order index (share of the spread across runs)", fr: "indice de premier ordre (part de la dispersion entre simulations)" }
    InChNoteMethod { en: "Given-data estimator over {runs} runs, up to {bins} bins per input, errors from {resamples} bootstrap resamples. Ranked by {by}.", fr: "Estimateur sur données, {runs} simulations, au plus {bins} classes par entrée, erreurs tirées de {resamples} rééchantillonnages bootstrap. Classées selon : {by}." }
    InChInputOrder { en: "input order (no measure has spread)", fr: "l'ordre des entrées (aucune mesure n'est dispersée)" }
    InChNoSpread { en: "No spread, no index: {measures} (the same in every run).", fr: "Pas de dispersion, pas d'indice : {measures} (identique dans chaque simulation)." }
    InChMore { en: "{n} more inputs, each explaining less than those shown on the ranking measure: input-importance.csv and the report's table.", fr: "{n} autres entrées, chacune expliquant moins que celles montrées selon la mesure du classement : input-importance.csv et le tableau du rapport." }
    InFanTitle { en: "{scenario} — what the uncertain inputs add, stock at {name}", fr: "{scenario} — ce qu'ajoutent les entrées incertaines, stock à {name}" }
    InFanSubtitle { en: "Left: each run draws its own inputs. Right: every input at its median, same runs otherwise. {facts}", fr: "À gauche : chaque simulation tire ses propres entrées. À droite : chaque entrée à sa médiane, mêmes simulations par ailleurs. {facts}" }
    InFanCalTitle { en: "{scenario} — before and after calibration, stock at {name}", fr: "{scenario} — avant et après calibration, stock à {name}" }
    InFanCalSubtitle { en: "Left: each run draws its inputs from their ranges. Right: each run takes a point retained by calibration, same runs otherwise. {facts}", fr: "À gauche : chaque simulation tire ses entrées dans leurs intervalles. À droite : chaque simulation prend un point retenu par la calibration, mêmes simulations par ailleurs. {facts}" }
    InFanPaneWith { en: "With input uncertainty", fr: "Avec l'incertitude sur les entrées" }
    InFanPaneMedians { en: "Inputs at their medians", fr: "Entrées à leur médiane" }
    InFanPanePrior { en: "Before calibration: inputs drawn from their ranges", fr: "Avant calibration : entrées tirées dans leurs intervalles" }
    InFanPaneCalibrated { en: "Calibrated: inputs from the retained points", fr: "Calibré : entrées prises aux points retenus" }
    InFanNote { en: "P(dry by {day}): {with} with input uncertainty, {without} with inputs at their medians.", fr: "P(à sec d'ici le {day}) : {with} avec l'incertitude sur les entrées, {without} avec les entrées à leur médiane." }
    InFanCalNote { en: "P(dry by {day}): {with} before calibration, {without} on the calibrated inputs.", fr: "P(à sec d'ici le {day}) : {with} avant calibration, {without} sur les entrées calibrées." }
    InTermHead { en: "  uncertain inputs  {n} ({how}), drawn once per run{file}", fr: "  entrées incertaines  {n} ({how}), tirées une fois par simulation{file}" }
    InTermRanked { en: "most influential first", fr: "les plus influentes d'abord" }
    InTermCalibrated { en: "not ranked: calibrated points move them together", fr: "non classées : les points calibrés les font varier ensemble" }
    InTermTooFew { en: "too few runs to rank", fr: "trop peu de simulations pour les classer" }
    InTermFile { en: "; calibrated points from {file}", fr: " ; points calibrés tirés de {file}" }
    InTermExplains { en: "  explains {index} of the spread in {measure}", fr: "  explique {index} de la dispersion de : {measure}" }
    InTermWithout { en: "  without them      {compare}", fr: "  sans elles        {compare}" }
}
