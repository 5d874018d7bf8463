//! Parameter lists (`def`, `lambda`) and call arguments, with CPython's ordering rules.

use super::{Lowerer, Result};
use crate::cst::{children, field, kind, named_children, range, Field};
use crate::error::{ParseErrorKind, Python2Construct};
use crate::flat::Node;
use simpy_ast::*;

/// Where in a parameter list we are: before `/`, between `/` and `*`, after `*`.
#[derive(PartialEq)]
enum Section {
    Positional,
    KeywordOnly,
    AfterKwargs,
}

impl<'s> Lowerer<'s> {
    /// `parameters` or `lambda_parameters`; `annotated` is false for lambdas.
    pub(super) fn parameters(&mut self, node: Node<'_>, annotated: bool) -> Result<Arguments> {
        let mut out = Arguments {
            range: range(node),
            ..Arguments::default()
        };
        let mut section = Section::Positional;
        let mut saw_slash = false;
        let mut bare_star: Option<Node<'_>> = None;
        for param in named_children(node) {
            if section == Section::AfterKwargs {
                return self.error(ParseErrorKind::AfterVarKeyword, param);
            }
            match kind(param) {
                "positional_separator" => {
                    if saw_slash {
                        return self.error(ParseErrorKind::DuplicateSlash, param);
                    }
                    if section != Section::Positional || out.args.is_empty() {
                        return self.error(
                            ParseErrorKind::InvalidSyntax {
                                found: "'/'".into(),
                            },
                            param,
                        );
                    }
                    saw_slash = true;
                    out.posonlyargs.append(&mut out.args);
                }
                "keyword_separator" => {
                    if section != Section::Positional {
                        return self.error(
                            ParseErrorKind::InvalidSyntax {
                                found: "'*'".into(),
                            },
                            param,
                        );
                    }
                    section = Section::KeywordOnly;
                    bare_star = Some(param);
                }
                "list_splat_pattern" | "dictionary_splat_pattern" => {
                    let arg = self.splat_param(param, None)?;
                    self.add_splat(&mut out, &mut section, param, arg, &mut bare_star)?;
                }
                "typed_parameter" => {
                    let inner = named_children(param)[0];
                    let annotation = self.param_annotation(param, annotated)?;
                    if kind(inner) == "identifier" {
                        let arg = self.arg(inner, annotation);
                        self.add_param(&mut out, &section, param, arg, None)?;
                    } else {
                        let arg = self.splat_param(inner, annotation)?;
                        self.add_splat(&mut out, &mut section, inner, arg, &mut bare_star)?;
                    }
                }
                "identifier" => {
                    let arg = self.arg(param, None);
                    self.add_param(&mut out, &section, param, arg, None)?;
                }
                "default_parameter" | "typed_default_parameter" => {
                    let name = self.required(param, Field::Name)?;
                    if kind(name) != "identifier" {
                        return self.error(
                            ParseErrorKind::Python2(Python2Construct::TupleParameter),
                            name,
                        );
                    }
                    let annotation = self.param_annotation(param, annotated)?;
                    let arg = self.arg(name, annotation);
                    let default = self.expr(self.required(param, Field::Value)?)?;
                    self.add_param(&mut out, &section, param, arg, Some(default))?;
                }
                "tuple_pattern" => {
                    return self.error(
                        ParseErrorKind::Python2(Python2Construct::TupleParameter),
                        param,
                    )
                }
                _ => return self.unexpected(param, "a parameter list"),
            }
        }
        if let Some(star) = bare_star {
            if out.kwonlyargs.is_empty() {
                return self.error(ParseErrorKind::BareStarWithoutNames, star);
            }
        }
        Ok(out)
    }

    fn param_annotation(&mut self, param: Node<'_>, annotated: bool) -> Result<Option<Box<Expr>>> {
        match field(param, Field::Type) {
            Some(_) if !annotated => self.error(
                ParseErrorKind::InvalidSyntax {
                    found: "':'".into(),
                },
                param,
            ),
            Some(t) => Ok(Some(Box::new(self.annotation(t)?))),
            None => Ok(None),
        }
    }

    fn arg(&self, name: Node<'_>, annotation: Option<Box<Expr>>) -> Arg {
        Arg {
            range: range(name),
            arg: self.identifier(name),
            annotation,
        }
    }

    /// `*args` or `**kwargs` (the `list_splat_pattern` / `dictionary_splat_pattern` node).
    fn splat_param(&mut self, node: Node<'_>, annotation: Option<Box<Expr>>) -> Result<Arg> {
        let name = named_children(node)[0];
        if kind(name) != "identifier" {
            return self.error(
                ParseErrorKind::InvalidSyntax {
                    found: format!("'{}'", self.text(name)),
                },
                name,
            );
        }
        Ok(Arg {
            range: range(node),
            arg: self.identifier(name),
            annotation,
        })
    }

    fn add_splat(
        &mut self,
        out: &mut Arguments,
        section: &mut Section,
        node: Node<'_>,
        arg: Arg,
        bare_star: &mut Option<Node<'_>>,
    ) -> Result<()> {
        if kind(node) == "dictionary_splat_pattern" {
            if let Some(star) = bare_star.take() {
                if out.kwonlyargs.is_empty() {
                    return self.error(ParseErrorKind::BareStarWithoutNames, star);
                }
            }
            out.kwarg = Some(Box::new(arg));
            *section = Section::AfterKwargs;
        } else {
            if *section != Section::Positional {
                return self.error(
                    ParseErrorKind::InvalidSyntax {
                        found: "'*'".into(),
                    },
                    node,
                );
            }
            out.vararg = Some(Box::new(arg));
            *section = Section::KeywordOnly;
        }
        Ok(())
    }

    fn add_param(
        &mut self,
        out: &mut Arguments,
        section: &Section,
        node: Node<'_>,
        arg: Arg,
        default: Option<Expr>,
    ) -> Result<()> {
        if *section == Section::KeywordOnly {
            out.kwonlyargs.push(arg);
            out.kw_defaults.push(default);
            return Ok(());
        }
        match default {
            Some(d) => out.defaults.push(d),
            None if !out.defaults.is_empty() => {
                return self.error(ParseErrorKind::NonDefaultAfterDefault, node)
            }
            None => {}
        }
        out.args.push(arg);
        Ok(())
    }

    /// The arguments of a call or of a class's base list.
    pub(super) fn call_arguments(&mut self, node: Node<'_>) -> Result<(Vec<Expr>, Vec<Keyword>)> {
        let all = children(node);
        self.check_commas(&all)?;
        let items: Vec<Node<'_>> = all.into_iter().filter(Node::is_named).collect();
        // Sized to fit: a call's vectors live as long as the tree, and most hold one or two.
        let named =
            |item: &Node<'_>| matches!(kind(*item), "keyword_argument" | "dictionary_splat");
        let keyword_count = items.iter().filter(|item| named(item)).count();
        let mut args = Vec::with_capacity(items.len() - keyword_count);
        let mut keywords: Vec<Keyword> = Vec::with_capacity(keyword_count);
        let mut saw_keyword = false;
        let mut saw_double_star = false;
        for item in &items {
            let item = *item;
            match kind(item) {
                "keyword_argument" => {
                    saw_keyword = true;
                    let value = self.required(item, Field::Value)?;
                    if kind(value) == "generator_expression" && !crate::cst::has_token(value, "(") {
                        return self.error(ParseErrorKind::UnparenthesizedGenerator, value);
                    }
                    keywords.push(Keyword {
                        range: range(item),
                        arg: Some(self.identifier(self.required(item, Field::Name)?)),
                        value: self.expr(value)?,
                    });
                }
                "dictionary_splat" => {
                    saw_double_star = true;
                    keywords.push(Keyword {
                        range: range(item),
                        arg: None,
                        value: self.expr(named_children(item)[0])?,
                    });
                }
                "list_splat" => {
                    if saw_double_star {
                        return self.error(ParseErrorKind::UnpackingAfterKeywordUnpacking, item);
                    }
                    args.push(self.expr(item)?);
                }
                _ => {
                    if saw_double_star {
                        return self.error(ParseErrorKind::PositionalAfterKeywordUnpacking, item);
                    }
                    if saw_keyword {
                        return self.error(ParseErrorKind::PositionalAfterKeyword, item);
                    }
                    args.push(self.expr(item)?);
                }
            }
        }
        Ok((args, keywords))
    }
}
