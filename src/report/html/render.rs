//! The two renderings of the report's [`Block`]s: one self-contained HTML page (inline CSS,
//! charts as base64 data URIs) and Markdown.

use super::*;

/// Escapes text for HTML.
pub(super) fn esc(t: &str) -> String {
    let mut o = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Standard base64 with padding.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut o = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for ch in bytes.chunks(3) {
        let n = (u32::from(ch[0]) << 16)
            | (u32::from(*ch.get(1).unwrap_or(&0)) << 8)
            | u32::from(*ch.get(2).unwrap_or(&0));
        o.push(A[(n >> 18) as usize & 63] as char);
        o.push(A[(n >> 12) as usize & 63] as char);
        o.push(if ch.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        o.push(if ch.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    o
}

pub(super) const CSS: &str = "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#191919;max-width:1340px;margin:.8em auto;padding:0 1.2em;line-height:1.4}\
h1{font-size:1.6em;margin:.2em 0}.cols{display:flex;gap:1.6em;align-items:flex-start}.col{flex:1 1 0;min-width:0}.cols h3{margin:.6em 0 .3em}.cols p,.cols table{font-size:.9em;margin:.3em 0 .5em}.cols figure{margin:.2em 0 .4em}.cols figure h3,.cols figcaption{display:none}\
p.lead{font-size:1.7em;font-weight:bold;margin:.2em 0}@media (max-width:800px){.cols{display:block}}\
h2{margin-top:1.8em;border-bottom:2px solid #ddd;padding-bottom:.2em}h3{margin-top:1.3em}\
table{border-collapse:collapse;margin:.6em 0 1em;font-size:.95em;display:block;max-width:100%;overflow-x:auto}th,td{border:1px solid #ccc;padding:.35em .6em;vertical-align:top;text-align:left}\
th{background:#f2f2f2}td.n{text-align:right;white-space:nowrap}td.d{white-space:nowrap}figure{margin:1.2em 0 2em}figure img{width:100%;height:auto;border:1px solid #ddd}\
figcaption{color:#444;margin-top:.4em}p.note{color:#666;font-size:.85em;margin-top:1em}.cols p.note{margin-top:.3em}\
@media (max-width:600px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.5em}}";

/// The HTML page; each figure embeds the PNG bytes `charts` holds for it.
pub(super) fn to_html(
    charts: &RunCharts,
    l: Lang,
    name: &str,
    blocks: &[Block],
) -> Result<String, ReportError> {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        l.code(),
        esc(&tr!(l, HtmlTitle, name = name))
    );
    for b in blocks {
        html_block(&mut o, charts, b)?;
    }
    o.push_str("</body>\n</html>\n");
    Ok(o)
}

/// Appends one block to the HTML page.
pub(super) fn html_block(o: &mut String, charts: &RunCharts, b: &Block) -> Result<(), ReportError> {
    match b {
        Block::Title(t) => {
            let _ = writeln!(o, "<h1>{}</h1>", esc(t));
        }
        Block::Heading(t) => {
            let _ = writeln!(o, "<h2>{}</h2>", esc(t));
        }
        Block::Sub(t) => {
            let _ = writeln!(o, "<h3>{}</h3>", esc(t));
        }
        Block::Para(t) => {
            let _ = writeln!(o, "<p>{}</p>", esc(t));
        }
        Block::Note(t) => {
            let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(t));
        }
        Block::Lead(t) => {
            let _ = writeln!(o, "<p class=\"lead\">{}</p>", esc(t));
        }
        Block::Columns(left, right) => {
            o.push_str("<div class=\"cols\">\n<div class=\"col\">\n");
            for x in left {
                html_block(o, charts, x)?;
            }
            o.push_str("</div>\n<div class=\"col\">\n");
            for x in right {
                html_block(o, charts, x)?;
            }
            o.push_str("</div>\n</div>\n");
        }
        Block::Table { head, rows, cols } => {
            o.push_str("<table>\n<thead><tr>");
            for h in head {
                let _ = write!(o, "<th>{}</th>", esc(h));
            }
            o.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                o.push_str("<tr>");
                for (i, c) in r.iter().enumerate() {
                    match cols.get(i).copied().unwrap_or(Col::Text) {
                        Col::Text => {
                            let _ = write!(o, "<td>{}</td>", esc(c));
                        }
                        Col::Num => {
                            let _ = write!(o, "<td class=\"n\">{}</td>", esc(c));
                        }
                        Col::Date => {
                            let _ = write!(o, "<td class=\"d\">{}</td>", esc(c));
                        }
                    }
                }
                o.push_str("</tr>\n");
            }
            o.push_str("</tbody>\n</table>\n");
        }
        Block::Figure {
            file,
            title,
            caption,
        } => {
            // A figure is only built for a chart that was drawn; one without bytes is a bug
            // in the page's assembly, said rather than shown as a broken image.
            let bytes = charts.png(file).ok_or_else(|| ReportError::Chart {
                name: file.clone(),
                message: "not drawn, yet shown in the report".into(),
            })?;
            let _ = writeln!(
                o,
                "<figure>\n<h3>{}</h3>\n<img alt=\"{}\" src=\"data:image/png;base64,{}\">\n<figcaption>{}</figcaption>\n</figure>",
                esc(title),
                esc(title),
                base64(bytes),
                esc(caption)
            );
        }
    }
    Ok(())
}

/// Escapes text for Markdown (paragraphs and table cells): inline markup everywhere, and
/// block markup (`#`, `>`) at the start. An underscore inside a word (`mali_side`) is left
/// alone: it cannot start or end emphasis there, and a backslash would show when the text
/// is pasted somewhere that does not read Markdown.
pub(super) fn md_esc(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut o = String::with_capacity(t.len());
    for (i, &c) in chars.iter().enumerate() {
        let intraword_underscore = c == '_'
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if (matches!(c, '\\' | '*' | '_' | '`' | '|' | '[' | ']' | '<') && !intraword_underscore)
            || (i == 0 && matches!(c, '#' | '>'))
        {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// The Markdown version, with relative image links.
pub(super) fn to_markdown(blocks: &[Block]) -> String {
    let mut o = String::new();
    for b in blocks {
        md_block(&mut o, b);
    }
    o
}

/// Appends one block to the Markdown version; columns come one after the other.
pub(super) fn md_block(o: &mut String, b: &Block) {
    match b {
        Block::Title(t) => {
            let _ = writeln!(o, "# {}\n", md_esc(t));
        }
        Block::Heading(t) => {
            let _ = writeln!(o, "## {}\n", md_esc(t));
        }
        Block::Sub(t) => {
            let _ = writeln!(o, "### {}\n", md_esc(t));
        }
        Block::Para(t) => {
            let _ = writeln!(o, "{}\n", md_esc(t));
        }
        Block::Note(t) => {
            let _ = writeln!(o, "*{}*\n", md_esc(t));
        }
        Block::Lead(t) => {
            let _ = writeln!(o, "**{}**\n", md_esc(t));
        }
        Block::Columns(left, right) => {
            for x in left.iter().chain(right) {
                md_block(o, x);
            }
        }
        Block::Table { head, rows, cols } => {
            let cells = |r: &[String]| r.iter().map(|c| md_esc(c)).collect::<Vec<_>>().join(" | ");
            let _ = writeln!(o, "| {} |", cells(head));
            let rule: Vec<&str> = (0..head.len())
                .map(|i| {
                    if cols.get(i) == Some(&Col::Num) {
                        "---:"
                    } else {
                        "---"
                    }
                })
                .collect();
            let _ = writeln!(o, "| {} |", rule.join(" | "));
            for r in rows {
                let _ = writeln!(o, "| {} |", cells(r));
            }
            o.push('\n');
        }
        Block::Figure {
            file,
            title,
            caption,
        } => {
            let _ = writeln!(
                o,
                "### {}\n\n![{}]({file})\n\n{}\n",
                md_esc(title),
                md_esc(title),
                md_esc(caption)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(
            md_esc("segments[KAY-DIE].risk=0.3 | x_y"),
            "segments\\[KAY-DIE\\].risk=0.3 \\| x_y"
        );
        // Underscores that could open or close emphasis are still escaped.
        assert_eq!(md_esc("_a_ mali_side b_ _"), "\\_a\\_ mali_side b\\_ \\_");
    }

    #[test]
    fn markdown_tables_align_numbers_right() {
        let md = to_markdown(&[Block::Table {
            head: vec!["a".into(), "b".into()],
            rows: vec![vec!["x".into(), "1".into()]],
            cols: vec![Col::Text, Col::Num],
        }]);
        assert_eq!(md, "| a | b |\n| --- | ---: |\n| x | 1 |\n\n");
    }
}
