//! The calibrated-inputs file written from a calibration.

use super::*;

/// The calibrated-inputs file (RON), as `run --inputs FILE` reads it: the scenario's name
/// and fingerprint, the seed, the input paths and the retained points.
pub fn calibrated_inputs_ron(c: &Calibration, scenario: &str, fingerprint: &str) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::from(
        "// Written by `blockade calibrate`: the retained (non-implausible) points.\n",
    );
    out.push_str("CalibratedInputs(\n");
    out.push_str(&format!("    scenario: \"{}\",\n", esc(scenario)));
    out.push_str(&format!("    fingerprint: \"{}\",\n", esc(fingerprint)));
    out.push_str(&format!("    seed: {},\n", c.settings.seed));
    let paths: Vec<String> = c
        .inputs
        .iter()
        .map(|i| format!("\"{}\"", esc(&i.path)))
        .collect();
    out.push_str(&format!("    inputs: [{}],\n", paths.join(", ")));
    out.push_str("    points: [\n");
    for p in c.retained() {
        let v: Vec<String> = p
            .values
            .iter()
            .zip(&c.inputs)
            .map(|(v, i)| {
                let s = format_value(*v, i.integer);
                if s.contains(['.', 'e', 'E']) || s.contains("inf") || s.contains("NaN") {
                    s
                } else {
                    format!("{s}.0")
                }
            })
            .collect();
        out.push_str(&format!("        [{}],\n", v.join(", ")));
    }
    out.push_str("    ],\n)\n");
    out
}
