//! Rebuilds the crate when a shipped instrument file changes or is added: `include_dir!` embeds
//! `checklists/` (see `src/shipped.rs`), and a directory is only tracked through a build script.

fn main() {
    println!("cargo:rerun-if-changed=../../checklists");
}
