//! `cargo run --release -p vsoko-scoring --example batch_bench -- INSTRUMENT.toml ANSWERS.csv OUT_DIR`:
//! the `vsoko score` batch without the rest of the binary (for when the workspace binary is not
//! buildable).

use std::path::Path;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let instrument = vsoko_checklist::load_file(Path::new(&args[1])).expect("instrument");
    let start = Instant::now();
    let output = vsoko_scoring::score_csv(
        &instrument,
        Path::new(&args[2]),
        &vsoko_scoring::BatchOptions::default(),
    )
    .expect("score");
    let scored = start.elapsed();
    output.write_dir(Path::new(&args[3])).expect("write");
    eprintln!(
        "scored in {:.3} s, total {:.3} s, {} kindergartens",
        scored.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        output.report.totals.len()
    );
}
