//! Python source to the shared AST, through tree-sitter-python.
//!
//! [`parse_module`] decodes source bytes as CPython does (UTF-8, BOM, PEP 263), parses them with
//! tree-sitter, and lowers the concrete tree to [`simpy_ast`]. tree-sitter's grammar is more
//! permissive than Python's, so lowering also makes the checks CPython's parser makes: whatever
//! `ast.parse` rejects is rejected here, with a line, a column and a reason (Python 2 named as such).
//!
//! This is the only crate that knows tree-sitter. It prints nothing and does no file IO.

mod alone;
mod chunks;
// Generated (`scripts/python_codecs.py`): long lines of table.
#[rustfmt::skip]
mod codecs_table;
mod cst;
mod diagnostic;
mod error;
mod flat;
mod format_specs;
pub mod literals;
mod lower;
mod repair;
mod source;
mod tokenizer;

pub use error::{
    ErrorFamily, NewerConstruct, ParseError, ParseErrorKind, Python2Construct, TargetAction,
};

/// The newest Python whose syntax this front end reads: CPython 3.11's grammar, with 3.12's
/// type parameters, `type` statement and f-strings (PEPs 695, 701) and 3.13's type parameter
/// defaults (PEP 696). Python 3.14's forms are refused by name ([`NewerConstruct`]).
pub const PYTHON_VERSION: &str = "3.13";
pub use lower::targets::set_target_context;
pub use lower::MAX_DEPTH;

/// Whether every starred expression of `module` stands where Python allows one; the SimPy
/// parser holds its trees to the same rule.
pub fn check_starred(module: &ModModule) -> Result<(), ParseError> {
    lower::starred::check(module)
}
pub use source::{decode_source, normalize_newlines};

use simpy_ast::{Comments, Expr, LineCol, LineIndex, ModModule, Stmt};

/// Python's keywords (not its soft keywords), as `keyword.kwlist` lists them.
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use tree_sitter::{Parser, Tree};

/// A parsed source file: its tree, its comments, and the decoded text both refer to.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub module: ModModule,
    pub comments: Comments,
    /// The decoded text, line breaks normalised to `\n`; ranges are byte offsets into it.
    pub source: String,
}

/// A parse failure located for people: line and column (1-based, in characters) and that line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {error}", line = location.line, col = location.col)]
pub struct LocatedError {
    pub error: ParseError,
    pub location: LineCol,
    /// The text of the offending line (lossily decoded for encoding errors).
    pub line_text: String,
}

impl LocatedError {
    pub fn kind(&self) -> &ParseErrorKind {
        &self.error.kind
    }
}

/// Parses a Python source file given as bytes.
pub fn parse_module(bytes: &[u8]) -> Result<Parsed, LocatedError> {
    let source = decode_source(bytes).map_err(|error| locate_in_bytes(error, bytes))?;
    parse_text(source)
}

/// How [`parse_module_in_parts`] read a file.
#[derive(Debug)]
pub enum Read {
    /// In parts, each handed over as it was read.
    InParts,
    /// Whole (a usual file, or a big one whose parts did not all read): what the parts
    /// received so far is to be dropped.
    Whole(Parsed),
}

/// [`parse_module`] for a caller that can use a big file's top-level statements a run at a
/// time (with the comments of their text), so that the whole tree is never held: `part` gets
/// each run in order. Files too small to cut, and any part that does not read, are parsed
/// whole, so the result and the errors are [`parse_module`]'s.
pub fn parse_module_in_parts(
    bytes: &[u8],
    part: impl FnMut(Vec<Stmt>, Vec<simpy_ast::Comment>),
) -> Result<Read, LocatedError> {
    parse_module_in_parts_of(bytes, chunks::CHUNK_BYTES, part)
}

/// [`parse_module_in_parts`] with parts of at least `part_bytes` (tests cut small files).
#[doc(hidden)]
pub fn parse_module_in_parts_of(
    bytes: &[u8],
    part_bytes: usize,
    mut part: impl FnMut(Vec<Stmt>, Vec<simpy_ast::Comment>),
) -> Result<Read, LocatedError> {
    let source = decode_source(bytes).map_err(|error| locate_in_bytes(error, bytes))?;
    let cuttable = !has_refused_control(&source);
    if let Some(ranges) = chunks::chunks(&source, part_bytes).filter(|_| cuttable) {
        if lower_parts(&source, &ranges, |module, comments| {
            part(module.body, comments.items)
        }) {
            return Ok(Read::InParts);
        }
    }
    // Not cut, or a part did not read: the whole parse, without trying the parts again.
    match lower_whole(&source) {
        Ok((module, comments)) => Ok(Read::Whole(Parsed {
            module,
            comments,
            source,
        })),
        Err(error) => Err(locate_in_text(error, &source)),
    }
}

/// Parses already-decoded Python text.
pub fn parse_str(text: &str) -> Result<Parsed, LocatedError> {
    if let Some(at) = text.find('\0') {
        let error = ParseError::new(
            ParseErrorKind::NullByte,
            simpy_ast::TextRange::new(at as u32, at as u32 + 1),
        );
        return Err(locate_in_text(error, text));
    }
    parse_text(normalize_newlines(text).into_owned())
}

fn parse_text(source: String) -> Result<Parsed, LocatedError> {
    match lower_text(&source) {
        Ok((module, comments)) => Ok(Parsed {
            module,
            comments,
            source,
        }),
        Err(error) => Err(locate_in_text(error, &source)),
    }
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

/// Whether this crate has made a tree-sitter parser: the allocator may change only before.
static PARSER_MADE: Mutex<bool> = Mutex::new(false);

/// Has tree-sitter's C core allocate with mimalloc, the allocator the `simpy` command and the
/// Python package give Rust: its trees are many small nodes, made and freed at every parse
/// (encoding 1 MB of stdlib: 4.4% fewer instructions, callgrind). False, changing nothing,
/// once this crate has made a parser.
///
/// # Safety
/// Nothing else in the process may have used tree-sitter's C library yet (it would free what
/// it allocated before with the other allocator), and no other thread may use it meanwhile.
#[allow(unsafe_code)] // tree-sitter's allocator is a C global, set only through this call.
pub unsafe fn tree_sitter_allocates_with_mimalloc() -> bool {
    let made = PARSER_MADE.lock().unwrap_or_else(PoisonError::into_inner);
    if *made {
        return false;
    }
    let mimalloc = tree_sitter::Allocator {
        malloc: libmimalloc_sys::mi_malloc,
        calloc: libmimalloc_sys::mi_calloc,
        realloc: libmimalloc_sys::mi_realloc,
        free: libmimalloc_sys::mi_free,
    };
    // SAFETY: mimalloc's four functions are one family, never null for non-zero sizes, aligned
    // as `malloc`; no parser of this crate exists (checked above, held by the lock), and the
    // caller promises no other tree-sitter use.
    unsafe { tree_sitter::set_allocator(Some(mimalloc)) };
    true
}

fn new_parser() -> Parser {
    *PARSER_MADE.lock().unwrap_or_else(PoisonError::into_inner) = true;
    let mut parser = Parser::new();
    parser
        .set_language(cst::language())
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter library");
    parser
}

/// The raw tree-sitter parse, for benchmarks that compare against it.
pub fn tree_sitter_parse(text: &str) -> Option<Tree> {
    tree_sitter_parse_within(text, None)
}

/// tree-sitter's parse, flattened as the front end reads it; how many nodes, for benchmarks.
pub fn tree_sitter_parse_flat(text: &str) -> Option<usize> {
    flat_parse(text).map(|tree| tree.len())
}

fn flat_parse(text: &str) -> Option<flat::FlatTree> {
    tree_sitter_parse(text).map(|tree| flat::FlatTree::new(&tree))
}

/// tree-sitter's parse of `text`, reusing `old`, the tree of `old_text`: a repair respells a
/// few places and keeps every offset, so only what it changed is read again (a whole parse
/// if the lengths differ).
fn reparse(mut old: Tree, old_text: &str, text: &str) -> Option<Tree> {
    if old_text.len() != text.len() {
        return tree_sitter_parse(text);
    }
    let (before, after) = (old_text.as_bytes(), text.as_bytes());
    // Where each changed run of bytes starts and ends, in rows and columns of the old text.
    let mut edits = Vec::new();
    let (mut row, mut line_start, mut counted_to) = (0, 0, 0);
    let mut point_at = |at: usize| {
        for newline in memchr::memchr_iter(b'\n', &before[counted_to..at]) {
            row += 1;
            line_start = counted_to + newline + 1;
        }
        counted_to = at;
        tree_sitter::Point::new(row, at - line_start)
    };
    let mut at = 0;
    while at < before.len() {
        if before[at] == after[at] {
            at += 1;
            continue;
        }
        let start = at;
        while at < before.len() && before[at] != after[at] {
            at += 1;
        }
        let (start_position, old_end_position) = (point_at(start), point_at(at));
        let new = &after[start..at];
        let new_end_position = match memchr::memrchr(b'\n', new) {
            Some(last) => tree_sitter::Point::new(
                start_position.row + memchr::memchr_iter(b'\n', new).count(),
                new.len() - last - 1,
            ),
            None => tree_sitter::Point::new(start_position.row, start_position.column + new.len()),
        };
        edits.push(tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: at,
            new_end_byte: at,
            start_position,
            old_end_position,
            new_end_position,
        });
    }
    // Last first: each edit's positions are then still the old text's.
    for edit in edits.iter().rev() {
        old.edit(edit);
    }
    PARSER.with(|p| p.borrow_mut().parse(text, Some(&old)))
}

/// tree-sitter's parse of the bytes `within` of `text` (all of it if `None`), offsets the text's.
fn tree_sitter_parse_within(text: &str, within: Option<&tree_sitter::Range>) -> Option<Tree> {
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        let Some(range) = within else {
            return parser.parse(text, None);
        };
        parser
            .set_included_ranges(std::slice::from_ref(range))
            .expect("one range, in the text");
        let tree = parser.parse(text, None);
        // The parser is shared by the thread's later parses, which read whole texts.
        parser
            .set_included_ranges(&[])
            .expect("no ranges means the whole text");
        tree
    })
}

fn internal(message: &str) -> ParseError {
    ParseError::new(
        ParseErrorKind::Internal(message.into()),
        simpy_ast::TextRange::default(),
    )
}

fn lower_text(src: &str) -> Result<(ModModule, Comments), ParseError> {
    match chunks::chunks(src, chunks::CHUNK_BYTES).and_then(|c| lower_chunks(src, &c)) {
        Some(lowered) => refuse_controls(src, lowered),
        None => lower_whole(src),
    }
}

/// `src` lowered as one tree, its errors as CPython's tokenizer or parser gives them.
fn lower_whole(src: &str) -> Result<(ModModule, Comments), ParseError> {
    let lowered = lower_text_once(src, None).map_err(|e| match e.kind.family() {
        ErrorFamily::InvalidInput => tokenizer::prefer_tokenizer_error(src, e),
        // A string that never closes leaves lines tree-sitter cannot part (`x = "a` then
        // `b"`): the misread is the tokenizer's error, not a limit of ours.
        ErrorFamily::Limit if e.kind == ParseErrorKind::MisreadStatements => {
            tokenizer::scan(src).error.unwrap_or(e)
        }
        ErrorFamily::Limit | ErrorFamily::Internal => e,
    })?;
    refuse_controls(src, lowered)
}

fn refuse_controls(
    src: &str,
    lowered: (ModModule, Comments),
) -> Result<(ModModule, Comments), ParseError> {
    // tree-sitter reads a control character between tokens (`i\x0b`) as a space, and a
    // zero-width space, word joiner or byte order mark too; CPython refuses them outside
    // strings and comments, which the tokenizer's scan tells apart.
    if has_refused_control(src) || has_read_as_space(src) {
        if let Some(error) = tokenizer::scan(src).error {
            return Err(error);
        }
    }
    Ok(lowered)
}

/// Characters tree-sitter-python takes as spaces (its `extras`) and CPython refuses outside
/// strings and comments: zero-width space, word joiner, byte order mark.
const READ_AS_SPACE: [char; 3] = ['\u{200b}', '\u{2060}', '\u{feff}'];

/// The bytes their UTF-8 starts with.
const READ_AS_SPACE_FIRST_BYTES: [u8; 2] = [0xE2, 0xEF];

/// The character of [`READ_AS_SPACE`] `text` starts with.
fn read_as_space(text: &str) -> Option<char> {
    text.chars().next().filter(|c| READ_AS_SPACE.contains(c))
}

/// Whether `text` holds a character of [`READ_AS_SPACE`], found by their first bytes
/// (`str::contains` with a set of characters decodes every character).
fn has_read_as_space(text: &str) -> bool {
    let [a, b] = READ_AS_SPACE_FIRST_BYTES;
    memchr::memchr2_iter(a, b, text.as_bytes()).any(|at| read_as_space(&text[at..]).is_some())
}

/// Whether `text` holds a control character CPython refuses outside strings and comments.
/// Block by block without an early exit inside a block, so that the compiler checks many
/// bytes at once.
fn has_refused_control(text: &str) -> bool {
    text.as_bytes().chunks(256).any(|block| {
        block
            .iter()
            .fold(false, |found, &b| found | refused_outside_strings(b))
    })
}

/// A control character CPython refuses outside strings and comments.
fn refused_outside_strings(b: u8) -> bool {
    (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x0c) | (b == 0x7f)
}

/// `src` lowered chunk by chunk ([`chunks`]), one chunk's tree at a time; `None` if any chunk
/// fails, so that the whole text's parse gives the error.
fn lower_chunks(src: &str, chunks: &[tree_sitter::Range]) -> Option<(ModModule, Comments)> {
    let mut whole: Option<ModModule> = None;
    let mut comments = Comments::default();
    let read = lower_parts(src, chunks, |part, part_comments| {
        match &mut whole {
            None => whole = Some(part),
            Some(module) => {
                module.range = simpy_ast::TextRange::new(module.range.start, part.range.end);
                module.body.extend(part.body);
            }
        }
        comments.items.extend(part_comments.items);
    });
    Some((whole.filter(|_| read)?, comments))
}

/// Lowers each chunk of `src` in order and hands it to `part`; false as soon as one does not
/// read (the caller then parses the whole text, which gives the error).
fn lower_parts(
    src: &str,
    chunks: &[tree_sitter::Range],
    mut part: impl FnMut(ModModule, Comments),
) -> bool {
    chunks
        .iter()
        .all(|chunk| match lower_text_once(src, Some(chunk)) {
            Ok((module, comments)) => {
                part(module, comments);
                true
            }
            Err(_) => false,
        })
}

/// The lowered tree of `src`, or of the bytes `within` it.
fn lower_text_once(
    src: &str,
    within: Option<&tree_sitter::Range>,
) -> Result<(ModModule, Comments), ParseError> {
    // Where tree-sitter misreads valid Python, parse again with the text respelled so that
    // every byte offset stays put, and lower that tree against the original text.
    // The texts read after `src`, each patched from the one before.
    let mut patched = Patched::default();
    // The last whole text's tree, which the next parse reuses where the text is unchanged.
    let mut last_tree: Option<Tree> = None;
    let mut first_error = None;
    // Rounds of respelling: one misread can hide the next (`b,  # c` then `x = a, 0` then
    // `(a).b`), so each round may find more; a bounded number, each making progress.
    let (mut joined, mut respelled) = (false, 0);
    // Comments inside brackets that joining blanked out.
    let mut blanked = Vec::new();
    // What the repairs read alone, and which of them ran.
    let mut alone = lower::ReadAlone::default();
    let (mut type_param_defaults_tried, mut respelt_tried) = (false, false);
    let mut rereads = Rereads::default();
    // The lowering's error a repair was then tried for: the error to give if that fails too.
    let mut lowering_error: Option<ParseError> = None;
    loop {
        let text = patched.current().unwrap_or(src);
        let parsed = match last_tree.take() {
            Some(old) => reparse(old, patched.before().unwrap_or(src), text),
            None => tree_sitter_parse_within(text, within),
        };
        let parsed = parsed.ok_or_else(|| internal("tree-sitter returned no tree"))?;
        let tree = flat::FlatTree::new(&parsed);
        // (A chunk is never read again: its repairs are the whole text's.)
        if within.is_none() {
            last_tree = Some(parsed);
        }
        if let Some(node) = cst::first_error(&tree, |node, ancestors| {
            lower::is_recoverable_error(node, ancestors, text)
        }) {
            let error = first_error
                .get_or_insert_with(|| cst::syntax_error_in(node, tree.root(), src))
                .clone();
            // The repairs below read the whole text: a chunk leaves them to the whole parse
            // it falls back to.
            if let Some(e) = lowering_error.clone().filter(|_| within.is_none()) {
                return Err(e);
            }
            if within.is_some() {
                return Err(error);
            }
            if let Some(respelt) = respelt_once(text, &mut respelt_tried) {
                patched.push(respelt);
                continue;
            }
            // PEP 696 defaults: blank them out and read each alone.
            if !type_param_defaults_tried {
                type_param_defaults_tried = true;
                let found = repair::type_param_defaults(text);
                if !found.is_empty() {
                    alone.type_param_defaults = read_type_param_defaults(text, &found, &error)?;
                    patched.push(repair::without_type_param_defaults(text, &found));
                    continue;
                }
            }
            // Dedented lines inside brackets: join them, as Python's tokenizer does.
            if let Some((joined_text, comments)) =
                repair::join_bracketed_lines(text).filter(|_| !joined)
            {
                patched.push(joined_text);
                blanked = comments;
                joined = true;
                continue;
            }
            if let Some(reread) = rereads.next(src, text, true) {
                patched.push(reread.apply(&mut alone));
                continue;
            }
            return Err(error);
        }
        let lowered = match lower::lower_module(tree.root(), src, alone.clone()) {
            Ok(lowered) => lowered,
            Err(e) if lowering_error.is_some() || within.is_some() => {
                return Err(lowering_error.unwrap_or(e))
            }
            Err(e) => {
                // The same misreads where tree-sitter's recovery leaves no error the lowering
                // does not find (`if x:` then `from __future__ import *` at the end: an empty
                // block); the lowering's error stands if the respelt text fails too.
                if let Some(respelt) = respelt_once(text, &mut respelt_tried) {
                    patched.push(respelt);
                    lowering_error = Some(e);
                    continue;
                }
                // Misreads that leave no error in the tree: a spec starting with `=` that
                // holds a field (`f"{x:={w}}"`), an annotation read as a type parameter
                // (`x: b[1:2, 3]`).
                let equals_spec = e.kind == ParseErrorKind::MisreadEqualsSpec;
                let Some(reread) = rereads.next(src, text, equals_spec) else {
                    return Err(e);
                };
                // Respelled specs read as Python reads them, so their errors are real;
                // expressions read alone are a guess, whose errors are not.
                if matches!(reread, Reread::Alone(..)) {
                    lowering_error = Some(e);
                }
                patched.push(reread.apply(&mut alone));
                continue;
            }
        };
        if lowered.respell.is_empty() {
            let bytes = within.map_or(0..src.len(), |r| r.start_byte..r.end_byte);
            return Ok((lowered.module, cst::comments(&tree, src, bytes, &blanked)));
        }
        let text_before = text;
        let progress = lowered
            .respell
            .iter()
            .any(|fix| &text_before[fix.at..fix.at + fix.with.len()] != fix.with);
        if respelled == MAX_RESPELLING_ROUNDS || !progress {
            // A spec read as code can hide the break (`f"{x:='''}"` read as a walrus whose
            // string runs on to a `'''` lines later): read once more with the specs as text.
            if let Some(specs) = rereads.specs(text) {
                patched.push(specs.apply(&mut alone));
                continue;
            }
            // Still misread: most likely invalid input, possibly valid code tree-sitter
            // cannot read; either way not ours to guess.
            let at = lowered.respell[0].at as u32;
            let range = simpy_ast::TextRange::new(at, at + 1);
            return Err(ParseError::new(ParseErrorKind::MisreadStatements, range));
        }
        let mut text = text.to_owned();
        for fix in lowered.respell {
            text.replace_range(fix.at..fix.at + fix.with.len(), fix.with);
        }
        patched.push(text);
        respelled += 1;
    }
}

/// The last two texts `lower_text_once` patched: the one it reads and the one before, whose
/// tree the next parse reuses.
#[derive(Default)]
struct Patched {
    current: Option<String>,
    before: Option<String>,
}

impl Patched {
    fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    fn before(&self) -> Option<&str> {
        self.before.as_deref()
    }

    fn push(&mut self, text: String) {
        self.before = self.current.replace(text);
    }
}

/// `text` with the statements and literals tree-sitter has no rule for respelt as ones it
/// reads, byte offsets kept (`from __future__ import *`, `\N`, `\u`, `\U` in bytes), if it
/// holds any.
fn respelt(text: &str) -> Option<String> {
    let future = repair::future_star_imports(text);
    let text = future.as_deref().unwrap_or(text);
    repair::bytes_non_escapes(text).or(future)
}

/// `respelt(text)` the first time it is asked for: the respelling is of the whole text, so a
/// second would find nothing the first did not.
fn respelt_once(text: &str, tried: &mut bool) -> Option<String> {
    if std::mem::replace(tried, true) {
        return None;
    }
    respelt(text)
}

/// How many times a text is read again with misread statement breaks respelled.
const MAX_RESPELLING_ROUNDS: usize = 8;

/// Each PEP 696 default of `text`, parsed alone at its own offsets; `error` (the syntax error
/// of the whole text) if one does not read as an expression.
fn read_type_param_defaults(
    text: &str,
    found: &[repair::TypeParamDefault],
    error: &ParseError,
) -> Result<HashMap<u32, (u32, Expr)>, ParseError> {
    let mut defaults = HashMap::new();
    for d in found {
        let alone = repair::type_param_default_alone(text, d);
        let tree = flat_parse(&alone).ok_or_else(|| error.clone())?;
        if cst::first_error(&tree, |_, _| false).is_some() {
            return Err(error.clone());
        }
        let lowered = lower::lower_module(tree.root(), &alone, Default::default())?;
        let value = match &lowered.module.body[..] {
            [Stmt::Expr(s)] => match &*s.value {
                Expr::List(list) if list.elts.len() == 1 && lowered.respell.is_empty() => {
                    list.elts[0].clone()
                }
                _ => return Err(error.clone()),
            },
            _ => return Err(error.clone()),
        };
        defaults.insert(d.param_end as u32, (d.equals as u32, value));
    }
    Ok(defaults)
}

/// The repairs that read regions of a text differently, each tried once, in this order.
#[derive(Default)]
struct Rereads {
    specs_tried: bool,
    alone_tried: bool,
}

/// A text to parse again, and how it differs.
enum Reread {
    /// Format specs respelled as plain text (`format_specs.rs`).
    Specs(String),
    /// Expressions blanked out, read alone (`alone.rs`).
    Alone(HashMap<u32, Expr>, String),
}

impl Rereads {
    /// The text with its format specs respelled as plain text, if not tried yet and it has any.
    fn specs(&mut self, text: &str) -> Option<Reread> {
        if self.specs_tried {
            return None;
        }
        self.specs_tried = true;
        format_specs::respelled(text).map(Reread::Specs)
    }

    /// The first repair not tried yet that changes `text`, the original `src` as patched so far
    /// (the specs' only if `specs`).
    fn next(&mut self, src: &str, text: &str, specs: bool) -> Option<Reread> {
        if let Some(specs) = specs.then(|| self.specs(text)).flatten() {
            return Some(specs);
        }
        if !self.alone_tried {
            self.alone_tried = true;
            if let Some((read, blanked)) = read_alone(src, text) {
                return Some(Reread::Alone(read, blanked));
            }
        }
        None
    }
}

impl Reread {
    /// The text to parse, what it read alone kept in `alone`.
    fn apply(self, alone: &mut lower::ReadAlone) -> String {
        match self {
            Reread::Specs(text) => text,
            Reread::Alone(read, text) => {
                alone.expressions = read;
                text
            }
        }
    }
}

/// The expressions of `text` tree-sitter cannot read where they stand (`alone.rs`), read
/// alone, and `text` with them blanked; `None` if there are none or they do not read as one
/// expression each. A region whose expression tree-sitter reads in place anyway, or that
/// Python does not take there, is left in the text for tree-sitter's own reading. `text` is
/// `src` patched at the same offsets; the expressions take their literals' text from `src`
/// (a format spec respelled for tree-sitter is read as written: `x = a, *f"{b:>9}"`).
fn read_alone(src: &str, text: &str) -> Option<(HashMap<u32, Expr>, String)> {
    let regions = alone::regions(text);
    if regions.is_empty() {
        return None;
    }
    let alone_text = alone::alone(text, &regions);
    let tree = flat_parse(&alone_text)?;
    if cst::first_error(&tree, |_, _| false).is_some() {
        return None;
    }
    let alone_src = alone::alone(src, &regions);
    let lowered = lower::lower_module(tree.root(), &alone_src, Default::default()).ok()?;
    let [Stmt::Expr(statement)] = &lowered.module.body[..] else {
        return None;
    };
    let Expr::List(list) = &*statement.value else {
        return None;
    };
    if list.elts.len() != regions.len() || !lowered.respell.is_empty() {
        return None;
    }
    let mut read = HashMap::new();
    let mut kept = Vec::new();
    for (region, expr) in regions.into_iter().zip(&list.elts) {
        let r = &region.range;
        let whole = expr.range().start as usize == r.start && expr.range().end as usize == r.end;
        if !whole && !text[r.clone()].starts_with('(') {
            return None;
        }
        let taken = match region.place {
            // (`*args: *Ts` is tree-sitter's to read; `x: a := b` is not Python.)
            alone::Place::Annotation => {
                !(whole && matches!(expr, Expr::Starred(_) | Expr::NamedExpr(_)))
            }
            alone::Place::StarredOperand => {
                !rooted_at_name(expr) && (!whole || is_bitwise_or(expr))
            }
            alone::Place::SliceOperand => !rooted_at_name(expr) || !whole,
        };
        if taken {
            read.insert(r.start as u32, expr.clone());
            kept.push(region);
        }
    }
    (!kept.is_empty()).then(|| (read, alone::blanked(text, &kept)))
}

/// A name, or an attribute, subscript or call of one: what tree-sitter reads after a `*`.
fn rooted_at_name(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) => true,
        Expr::Attribute(e) => rooted_at_name(&e.value),
        Expr::Subscript(e) => rooted_at_name(&e.value),
        Expr::Call(e) => rooted_at_name(&e.func),
        _ => false,
    }
}

/// Whether `expr`, unparenthesised, is what Python takes after a `*` (a `bitwise_or`).
fn is_bitwise_or(expr: &Expr) -> bool {
    !matches!(
        expr,
        Expr::BoolOp(_)
            | Expr::Compare(_)
            | Expr::IfExp(_)
            | Expr::Lambda(_)
            | Expr::NamedExpr(_)
            | Expr::Starred(_)
            | Expr::Yield(_)
            | Expr::YieldFrom(_)
    ) && !matches!(expr, Expr::UnaryOp(u) if u.op == simpy_ast::UnaryOp::Not)
}

fn locate_in_text(error: ParseError, text: &str) -> LocatedError {
    let index = LineIndex::new(text);
    let location = index.line_col(text, error.range.start);
    LocatedError {
        line_text: index.line_text(text, location.line).to_owned(),
        location,
        error,
    }
}

fn locate_in_bytes(error: ParseError, bytes: &[u8]) -> LocatedError {
    let offset = (error.range.start as usize).min(bytes.len());
    let line_start = bytes[..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[offset..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| offset + i);
    let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let col = String::from_utf8_lossy(&bytes[line_start..offset])
        .chars()
        .count() as u32
        + 1;
    LocatedError {
        line_text: String::from_utf8_lossy(&bytes[line_start..line_end])
            .trim_end()
            .to_owned(),
        location: LineCol { line, col },
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree read again after a respelling is the tree of the respelt text, read afresh:
    /// stdlib files with every `self` respelt `selg` (many changes) or one `\n` respelt `;`.
    #[test]
    fn a_reparse_gives_the_fresh_parse() {
        let files = simpy_testkit::cpython::stdlib_files();
        for path in files.iter().step_by(16) {
            let Ok(old_text) = std::fs::read_to_string(path) else {
                continue;
            };
            let renamed = old_text.replace("self", "selg");
            let joined = match old_text.find(")\n") {
                Some(at) => format!("{};{}", &old_text[..at + 1], &old_text[at + 2..]),
                None => continue,
            };
            for text in [renamed, joined] {
                let old = tree_sitter_parse(&old_text).expect("a tree");
                let again = reparse(old, &old_text, &text).expect("a tree");
                let fresh = tree_sitter_parse(&text).expect("a tree");
                assert_eq!(
                    flat::FlatTree::new(&again).reads(),
                    flat::FlatTree::new(&fresh).reads(),
                    "{}",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn read_as_space_is_found_by_its_first_bytes() {
        for c in READ_AS_SPACE {
            let mut utf8 = [0; 4];
            assert!(READ_AS_SPACE_FIRST_BYTES.contains(&c.encode_utf8(&mut utf8).as_bytes()[0]));
            assert!(has_read_as_space(&format!("x = 1 — é{c}")));
        }
        assert!(!has_read_as_space("x = '—' # é\u{2061}"));
    }

    #[test]
    fn refused_controls_are_found_in_any_block() {
        for at in [0, 255, 256, 300, 999] {
            for (c, refused) in [
                ('\x0b', true),
                ('\x7f', true),
                ('\x00', true),
                ('\x0c', false),
            ] {
                let mut text = "a = 1\n".repeat(200);
                text.insert(at, c);
                assert_eq!(has_refused_control(&text), refused, "{c:?} at {at}");
            }
        }
    }
}
