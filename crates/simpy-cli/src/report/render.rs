//! A report as a text table, JSON, CSV, or one HTML page with an inline SVG chart.

use super::{Counts, Report, Side};
use std::fmt::Write;

/// The paper's reductions (Python → SimPy tokens, starcoderdata sample, comments kept),
/// SIMPY.md §2, by our tokenizer names.
pub fn paper_reduction(tokenizer: &str) -> Option<f64> {
    Some(match tokenizer {
        "codebert" => 34.7,
        "codellama" => 13.5,
        "codex" => 12.6,
        "codet5" => 13.8,
        "starcoder" | "starcoder2" => 8.6,
        "gpt35" | "gpt4" => 10.4,
        _ => return None,
    })
}

/// How much smaller `after` is than `before`, in percent; `None` when nothing was counted.
fn reduction(before: u64, after: u64) -> Option<f64> {
    (before > 0).then(|| 100.0 * (before as f64 - after as f64) / before as f64)
}

/// A percentage for people, `n/a` where nothing was counted.
fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.1}%"))
}

/// One row of a report: a tokenizer (or characters) on one side.
struct Row {
    label: String,
    original: u64,
    normalized: u64,
    simpy: u64,
    paper: Option<f64>,
}

impl Row {
    fn vs_original(&self) -> Option<f64> {
        reduction(self.original, self.simpy)
    }

    fn vs_normalized(&self) -> Option<f64> {
        reduction(self.normalized, self.simpy)
    }
}

fn rows(report: &Report, side: &Side, with_paper: bool) -> Vec<Row> {
    let pick = |c: &Counts, i: usize| c.tokens[i];
    let mut out: Vec<Row> = report
        .tokenizers
        .iter()
        .enumerate()
        .map(|(i, name)| Row {
            label: name.clone(),
            original: pick(&side.original, i),
            normalized: pick(&side.normalized, i),
            simpy: pick(&side.simpy, i),
            paper: paper_reduction(name).filter(|_| with_paper),
        })
        .collect();
    out.push(Row {
        label: "characters".into(),
        original: side.original.chars,
        normalized: side.normalized.chars,
        simpy: side.simpy.chars,
        paper: None,
    });
    out
}

fn corpus_line(report: &Report) -> String {
    let mut dialect = match report.dialect.as_str() {
        "simpy" => String::new(),
        other => format!("; SimPy in the dialect `{other}`"),
    };
    if report.literals == simpy::Literals::Normalized {
        dialect += ", its literals normalized (the same AST, not the spellings written)";
    }
    format!(
        "{} counted ({} of Python), {} skipped{dialect}",
        crate::files::count(report.files as usize, "file", "files"),
        crate::files::size(report.bytes),
        report.failures.len()
    )
}

pub fn table(report: &Report) -> String {
    let mut out = String::new();
    writeln!(out, "{}", corpus_line(report)).unwrap();
    let sides = [
        ("comments kept", &report.with_comments, true),
        (
            "comments stripped on every side",
            &report.without_comments,
            false,
        ),
    ];
    for (title, side, with_paper) in sides {
        writeln!(out, "\n{title}").unwrap();
        writeln!(
            out,
            "{:<15} {:>14} {:>14} {:>14} {:>12} {:>14} {:>7}",
            "tokenizer", "original", "normalized", "SimPy", "vs original", "vs normalized", "paper"
        )
        .unwrap();
        for row in rows(report, side, with_paper) {
            let paper = row.paper.map_or(String::new(), |p| format!("{p:.1}%"));
            writeln!(
                out,
                "{:<15} {:>14} {:>14} {:>14} {:>12} {:>14} {:>7}",
                row.label,
                row.original,
                row.normalized,
                row.simpy,
                percent(row.vs_original()),
                percent(row.vs_normalized()),
                paper
            )
            .unwrap();
        }
    }
    writeln!(
        out,
        "\noriginal: the files as written; normalized: the same AST and comments printed by\n\
         `simpy normalize`; SimPy: `simpy encode`. Special tokens count as one token each.\n\
         paper: the reduction Sun et al. report (starcoderdata sample, comments kept)."
    )
    .unwrap();
    if !report.failures.is_empty() {
        writeln!(out, "\nskipped (not counted):").unwrap();
        for (name, why) in &report.failures {
            writeln!(out, "  {name}: {why}").unwrap();
        }
    }
    out
}

fn side_json(report: &Report, side: &Side, with_paper: bool) -> serde_json::Value {
    let tokenizers: serde_json::Map<String, serde_json::Value> = rows(report, side, with_paper)
        .into_iter()
        .map(|r| {
            (
                r.label.clone(),
                serde_json::json!({
                    "original": r.original,
                    "normalized": r.normalized,
                    "simpy": r.simpy,
                    "reduction_vs_original_percent": r.vs_original(),
                    "reduction_vs_normalized_percent": r.vs_normalized(),
                    "paper_reduction_percent": r.paper,
                }),
            )
        })
        .collect();
    serde_json::Value::Object(tokenizers)
}

pub fn json(report: &Report) -> String {
    let value = serde_json::json!({
        "dialect": report.dialect,
        "literals": report.literals.name(),
        "files": report.files,
        "bytes": report.bytes,
        "skipped": report.failures.iter().map(|(name, why)| serde_json::json!({"input": name, "reason": why})).collect::<Vec<_>>(),
        "comments_kept": side_json(report, &report.with_comments, true),
        "comments_stripped": side_json(report, &report.without_comments, false),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("serialisable");
    text.push('\n');
    text
}

pub fn csv(report: &Report) -> String {
    let mut out = String::from(
        "tokenizer,comments,original,normalized,simpy,reduction_vs_original_percent,reduction_vs_normalized_percent,paper_reduction_percent\n",
    );
    for (label, side) in [
        ("kept", &report.with_comments),
        ("stripped", &report.without_comments),
    ] {
        for row in rows(report, side, label == "kept") {
            writeln!(
                out,
                "{},{label},{},{},{},{},{},{}",
                row.label,
                row.original,
                row.normalized,
                row.simpy,
                row.vs_original()
                    .map_or(String::new(), |v| format!("{v:.2}")),
                row.vs_normalized()
                    .map_or(String::new(), |v| format!("{v:.2}")),
                row.paper.map_or(String::new(), |p| format!("{p:.1}"))
            )
            .unwrap();
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars per tokenizer: SimPy vs original, vs normalized, and the paper's figure.
fn chart(report: &Report) -> String {
    let rows = rows(report, &report.with_comments, true);
    let rows = &rows[..rows.len() - 1];
    let series: [(&str, &str); 3] = [
        ("vs original", "#2b6cb0"),
        ("vs normalized", "#68d391"),
        ("paper", "#ed8936"),
    ];
    let (bar, gap, left, width) = (12.0, 10.0, 110.0, 420.0);
    let max = rows
        .iter()
        .flat_map(|r| [r.vs_original(), r.vs_normalized(), r.paper])
        .flatten()
        .fold(10.0f64, f64::max);
    let group = 3.0 * bar + gap;
    let height = 30.0 + group * rows.len() as f64;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{height}" role="img" aria-label="token reduction per tokenizer">"#,
        left + width + 80.0
    );
    for (i, (name, color)) in series.iter().enumerate() {
        let x = left + i as f64 * 140.0;
        write!(
            svg,
            r#"<rect x="{x}" y="4" width="10" height="10" fill="{color}"/><text x="{}" y="13" font-size="11">{name}</text>"#,
            x + 14.0
        )
        .unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        let top = 24.0 + i as f64 * group;
        write!(
            svg,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            left - 6.0,
            top + 1.5 * bar + 4.0,
            escape(&row.label)
        )
        .unwrap();
        let values = [row.vs_original(), row.vs_normalized(), row.paper];
        for (j, value) in values.iter().enumerate() {
            let Some(v) = value else { continue };
            let y = top + j as f64 * bar;
            let w = (v.max(0.0) / max * width).max(1.0);
            write!(
                svg,
                r#"<rect x="{left}" y="{y}" width="{w:.1}" height="{}" fill="{}"/><text x="{:.1}" y="{}" font-size="10">{v:.1}%</text>"#,
                bar - 2.0,
                series[j].1,
                left + w + 4.0,
                y + bar - 3.0
            )
            .unwrap();
        }
    }
    svg.push_str("</svg>");
    svg
}

pub fn html(report: &Report) -> String {
    let mut tables = String::new();
    for (title, side, with_paper) in [
        ("Comments kept", &report.with_comments, true),
        (
            "Comments stripped on every side",
            &report.without_comments,
            false,
        ),
    ] {
        write!(
            tables,
            "<h2>{title}</h2><table><tr><th>tokenizer</th><th>original</th><th>normalized</th><th>SimPy</th><th>vs original</th><th>vs normalized</th><th>paper</th></tr>"
        )
        .unwrap();
        for row in rows(report, side, with_paper) {
            write!(
                tables,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&row.label),
                row.original,
                row.normalized,
                row.simpy,
                percent(row.vs_original()),
                percent(row.vs_normalized()),
                row.paper.map_or(String::new(), |p| format!("{p:.1}%"))
            )
            .unwrap();
        }
        tables.push_str("</table>");
    }
    let mut skipped = String::new();
    if !report.failures.is_empty() {
        skipped.push_str("<h2>Skipped (not counted)</h2><ul>");
        for (name, why) in &report.failures {
            write!(
                skipped,
                "<li><code>{}</code>: {}</li>",
                escape(name),
                escape(why)
            )
            .unwrap();
        }
        skipped.push_str("</ul>");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SimPy token report</title>\
         <style>body{{font-family:sans-serif;margin:2em;max-width:60em}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #ccc;padding:.2em .6em;text-align:right}}td:first-child{{text-align:left}}</style></head>\
         <body><h1>SimPy token report</h1><p>{}</p><h2>Token reduction of SimPy (comments kept)</h2>{}{}{}\
         <p>original: the files as written; normalized: the same AST and comments printed by <code>simpy normalize</code>; \
         SimPy: <code>simpy encode</code>. Special tokens count as one token each. paper: Sun et al., ISSTA 2024 \
         (starcoderdata sample, comments kept).</p></body></html>\n",
        escape(&corpus_line(report)),
        chart(report),
        tables,
        skipped
    )
}
