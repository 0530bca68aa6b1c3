use blockade::ensemble::{self, InputPlan, Options};
use blockade::report::{self, InputsInfo, RunInfo};
use blockade::scenario::{Dist, Template, UncertainInput};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let t = Template::load(std::path::Path::new(&args[1])).unwrap();
    let n: u64 = args[2].parse().unwrap();
    let out = std::path::PathBuf::from(&args[3]);
    let s = t.base().scenario.clone();
    let inputs: Vec<UncertainInput> = args[4..]
        .chunks(4)
        .map(|c| UncertainInput {
            path: c[0].clone(),
            dist: if c[1] == "U" {
                Dist::Uniform {
                    lo: c[2].parse().unwrap(),
                    hi: c[3].parse().unwrap(),
                }
            } else {
                Dist::choice(c[2].split(',').map(|x| x.parse().unwrap()).collect())
            },
            integer: c[1] == "C",
        })
        .collect();
    let plan = InputPlan::drawn(inputs);
    let o = Options {
        replications: n,
        seed: s.seed,
        threads: None,
    };
    let t0 = std::time::Instant::now();
    let r = ensemble::run_with_inputs(&t, &[], &plan, &o, &|x| x, &|_| {}).unwrap();
    eprintln!(
        "with inputs: {:?} ({} scenarios built)",
        t0.elapsed(),
        r.table.scenarios_built
    );
    let t1 = std::time::Instant::now();
    let at = ensemble::run_at_medians(&t, &[], &plan, &o, &|_| {}).unwrap();
    eprintln!("at medians: {:?}", t1.elapsed());
    let t2 = std::time::Instant::now();
    let importance = ensemble::importance(&r.table, &r.summary, s.horizon_days, s.seed);
    eprintln!("importance: {:?}", t2.elapsed());
    let info = RunInfo {
        inputs: Some(Box::new(InputsInfo {
            table: r.table,
            importance,
            at_medians: at,
        })),
        ..RunInfo::default()
    };
    std::fs::create_dir_all(&out).unwrap();
    report::write_tables(&out, &s, &r.summary, &info).unwrap();
    report::write_charts(
        &out,
        &s,
        &r.summary,
        &info,
        &report::ChartOptions::new(report::ChartSize::default(), false),
    )
    .unwrap();
    report::write_report(&out, &s, &r.summary, &info).unwrap();
    print!("{}", report::headline(&s, &r.summary, &info));
}
