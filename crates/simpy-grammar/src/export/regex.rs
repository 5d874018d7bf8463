//! Terminal patterns as a small regular-expression tree, written out as a regex (the syntax
//! Python's `re` and Rust's `regex` share, for Lark and llguidance) or as a GBNF expression.

use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Re {
    Lit(String),
    /// A character class: inclusive ranges, negated or not.
    Set(bool, Vec<(char, char)>),
    /// Any character, line breaks included.
    Any,
    Seq(Vec<Re>),
    Alt(Vec<Re>),
    Star(Box<Re>),
    Plus(Box<Re>),
    Opt(Box<Re>),
}

pub fn lit(s: &str) -> Re {
    Re::Lit(s.to_owned())
}

/// A class from a compact spec: `a-z`, single characters; `\-` for a dash.
pub fn set(spec: &str) -> Re {
    Re::Set(false, ranges(spec))
}

pub fn not_set(spec: &str) -> Re {
    Re::Set(true, ranges(spec))
}

fn ranges(spec: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = spec.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = if chars[i] == '\\' {
            i += 1;
            chars[i]
        } else {
            chars[i]
        };
        if chars.get(i + 1) == Some(&'-') && i + 2 < chars.len() {
            out.push((c, chars[i + 2]));
            i += 3;
        } else {
            out.push((c, c));
            i += 1;
        }
    }
    out
}

pub fn seq(items: Vec<Re>) -> Re {
    Re::Seq(items)
}

pub fn alt(items: Vec<Re>) -> Re {
    Re::Alt(items)
}

impl Re {
    pub fn star(self) -> Re {
        Re::Star(Box::new(self))
    }
    pub fn plus(self) -> Re {
        Re::Plus(Box::new(self))
    }
    pub fn opt(self) -> Re {
        Re::Opt(Box::new(self))
    }

    /// As a regex in the syntax Python's `re` and Rust's `regex` share; `/` escaped for
    /// Lark's `/…/` literals.
    pub fn regex(&self) -> String {
        let mut out = String::new();
        self.write_regex(&mut out);
        out
    }

    fn write_regex(&self, out: &mut String) {
        match self {
            Re::Lit(s) => s.chars().for_each(|c| regex_char(c, out)),
            Re::Set(negated, ranges) => {
                out.push('[');
                if *negated {
                    out.push('^');
                }
                for &(a, b) in ranges {
                    regex_char(a, out);
                    if a != b {
                        out.push('-');
                        regex_char(b, out);
                    }
                }
                out.push(']');
            }
            Re::Any => out.push_str(r"[\s\S]"),
            Re::Seq(items) => items.iter().for_each(|i| i.write_regex_atom(out, true)),
            Re::Alt(items) => {
                for (n, i) in items.iter().enumerate() {
                    if n > 0 {
                        out.push('|');
                    }
                    i.write_regex(out);
                }
            }
            Re::Star(i) | Re::Plus(i) | Re::Opt(i) => {
                i.write_regex_atom(out, false);
                out.push(match self {
                    Re::Star(_) => '*',
                    Re::Plus(_) => '+',
                    _ => '?',
                });
            }
        }
    }

    /// Written so that what follows (a suffix, or the next item of a sequence) applies to it
    /// whole.
    fn write_regex_atom(&self, out: &mut String, in_seq: bool) {
        let bare = match self {
            Re::Set(..) | Re::Any => true,
            Re::Lit(s) => in_seq || s.chars().count() == 1,
            Re::Seq(_) => in_seq,
            Re::Alt(_) => false,
            Re::Star(_) | Re::Plus(_) | Re::Opt(_) => in_seq,
        };
        if bare {
            self.write_regex(out);
        } else {
            out.push_str("(?:");
            self.write_regex(out);
            out.push(')');
        }
    }

    /// As a GBNF expression (llama.cpp's grammars/README.md).
    pub fn gbnf(&self) -> String {
        match self {
            Re::Lit(s) => {
                let mut out = String::from("\"");
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => {
                            let _ = write!(out, "\\x{:02X}", c as u32);
                        }
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
            Re::Set(negated, ranges) => {
                let mut out = String::from("[");
                if *negated {
                    out.push('^');
                }
                for &(a, b) in ranges {
                    gbnf_class_char(a, &mut out);
                    if a != b {
                        out.push('-');
                        gbnf_class_char(b, &mut out);
                    }
                }
                out.push(']');
                out
            }
            Re::Any => r"[^\x00]".to_owned(),
            Re::Seq(items) => items
                .iter()
                .map(|i| match i {
                    Re::Alt(_) => format!("({})", i.gbnf()),
                    _ => i.gbnf(),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Re::Alt(items) => items.iter().map(Re::gbnf).collect::<Vec<_>>().join(" | "),
            Re::Star(i) | Re::Plus(i) | Re::Opt(i) => {
                let inner = match **i {
                    Re::Set(..) | Re::Any => i.gbnf(),
                    Re::Lit(ref s) if s.chars().count() == 1 => i.gbnf(),
                    _ => format!("({})", i.gbnf()),
                };
                let suffix = match self {
                    Re::Star(_) => '*',
                    Re::Plus(_) => '+',
                    _ => '?',
                };
                format!("{inner}{suffix}")
            }
        }
    }
}

fn regex_char(c: char, out: &mut String) {
    match c {
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        '\t' => out.push_str(r"\t"),
        '\x0c' => out.push_str(r"\f"),
        // Lark rewrites `\"` inside `/…/` (its string unescaping runs on regexes too).
        '"' => out.push_str(r"\x22"),
        '\'' => out.push_str(r"\x27"),
        // Only the characters either syntax gives a meaning; `\<` is a word boundary in Rust.
        c if r"\.+*?()|[]{}^$/-&~#".contains(c) => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_ascii_control() => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c => out.push(c),
    }
}

fn gbnf_class_char(c: char, out: &mut String) {
    if c.is_ascii_punctuation() || c.is_ascii_control() || c == ' ' {
        let _ = write!(out, "\\x{:02X}", c as u32);
    } else {
        out.push(c);
    }
}
