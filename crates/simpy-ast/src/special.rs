//! SimPy's special tokens: the one table every crate takes their spelling from (the printer,
//! the parser's lexer and grammar, the tokenizers, SPEC.md's list, checked by tests). A token
//! is named by its variant, so a misspelt one does not compile.

macro_rules! specials {
    ($($variant:ident = $text:literal => $python:literal,)*) => {
        /// Every special token of SimPy; each is one token for a model.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Special { $($variant,)* }

        impl Special {
            /// Every token, in the order of the table.
            pub const ALL: &'static [Special] = &[$(Special::$variant,)*];

            /// How the token is spelt.
            pub const fn text(self) -> &'static str {
                match self { $(Special::$variant => $text,)* }
            }

            /// The Python the token stands for, without the spaces around it (empty for layout
            /// tokens, a space for `<concat>`).
            pub const fn python(self) -> &'static str {
                match self { $(Special::$variant => $python,)* }
            }

            /// The token spelt `text`, if there is one.
            pub fn from_text(text: &str) -> Option<Special> {
                match text { $($text => Some(Special::$variant),)* _ => None }
            }
        }
    };
}

specials! {
    BlockStart = "<block_start>" => "",
    BlockEnd = "<block_end>" => "",
    LineSep = "<line_sep>" => "",
    Concat = "<concat>" => " ",
    DefStmt = "<def_stmt>" => "def",
    ClassStmt = "<class_stmt>" => "class",
    IfStmt = "<if_stmt>" => "if",
    ElifStmt = "<elif_stmt>" => "elif",
    ElseStmt = "<else_stmt>" => "else",
    ForStmt = "<for_stmt>" => "for",
    WhileStmt = "<while_stmt>" => "while",
    TryStmt = "<try_stmt>" => "try",
    ExceptStmt = "<except_stmt>" => "except",
    ExceptGroupStmt = "<except_group_stmt>" => "except*",
    FinallyStmt = "<finally_stmt>" => "finally",
    WithStmt = "<with_stmt>" => "with",
    MatchStmt = "<match_stmt>" => "match",
    CaseStmt = "<case_stmt>" => "case",
    AssertStmt = "<assert_stmt>" => "assert",
    DelStmt = "<del_stmt>" => "del",
    ImportStmt = "<import_stmt>" => "import",
    ImportFromStmt = "<import_from_stmt>" => "from",
    ImportFromFutureStmt = "<import_from_future_stmt>" => "from __future__ import",
    TypeStmt = "<type_stmt>" => "type",
    AsyncKeyword = "<async_keyword>" => "async",
    Return = "<return>" => "return",
    Raise = "<raise>" => "raise",
    Pass = "<pass>" => "pass",
    Break = "<break>" => "break",
    Continue = "<continue>" => "continue",
    Global = "<global>" => "global",
    Nonlocal = "<nonlocal>" => "nonlocal",
    Yield = "<yield>" => "yield",
    Await = "<await>" => "await",
    Lambda = "<lambda>" => "lambda",
    From = "<from>" => "from",
    As = "<as>" => "as",
    In = "<in>" => "in",
    Is = "<is>" => "is",
    Not = "<not>" => "not",
    And = "<and>" => "and",
    Or = "<or>" => "or",
    If = "<if>" => "if",
    Else = "<else>" => "else",
    For = "<for>" => "for",
    True = "<true>" => "True",
    False = "<false>" => "False",
    None = "<none>" => "None",
    IsNot = "<isnot>" => "is not",
    NotIn = "<notin>" => "not in",
    Print = "<print>" => "print",
    Exec = "<exec>" => "exec",
    Lt = "<l>" => "<",
    Gt = "<g>" => ">",
    LtE = "<le>" => "<=",
    GtE = "<ge>" => ">=",
    Eq = "<eq>" => "==",
    NotEq = "<ne>" => "!=",
    LtGt = "<lgne>" => "<>",
    LShift = "<lshift>" => "<<",
    RShift = "<rshift>" => ">>",
    FloorDiv = "<floordiv>" => "//",
    Times = "<times>" => "*",
    Power = "<power>" => "**",
    Arrow = "<arrow>" => "->",
    Ellipsis = "<ellipsis>" => "...",
    AugAdd = "<augadd>" => "+=",
    AugSub = "<augsub>" => "-=",
    AugMul = "<augmul>" => "*=",
    AugDiv = "<augdiv>" => "/=",
    AugMatMul = "<augmatmul>" => "@=",
    AugFloorDiv = "<augfloordiv>" => "//=",
    AugMod = "<augmod>" => "%=",
    AugPow = "<augpow>" => "**=",
    AugRShift = "<augrshift>" => ">>=",
    AugLShift = "<auglshift>" => "<<=",
    AugAnd = "<augand>" => "&=",
    AugXor = "<augxor>" => "^=",
    AugOr = "<augor>" => "|=",
}

impl Special {
    /// Whether SimPy `code` starts with a token that starts a statement or a clause (see
    /// `starts_statement`). Those are exactly the `<…_stmt>` tokens and `<async_keyword>`
    /// (a test holds the table to it), which a printer checks once per line without a lookup.
    pub fn starts_a_statement(code: &str) -> bool {
        let Some(end) = code.as_bytes().iter().take(32).position(|&b| b == b'>') else {
            return false;
        };
        let token = &code[..=end];
        token.starts_with('<')
            && (token.ends_with("_stmt>") || token == Special::AsyncKeyword.text())
    }

    /// Tokens that start a statement or a clause and so delimit by themselves: no
    /// `<line_sep>` is needed before one, and a space after one is layout.
    pub fn starts_statement(self) -> bool {
        use Special::*;
        matches!(
            self,
            DefStmt
                | ClassStmt
                | IfStmt
                | ElifStmt
                | ElseStmt
                | ForStmt
                | WhileStmt
                | TryStmt
                | ExceptStmt
                | ExceptGroupStmt
                | FinallyStmt
                | WithStmt
                | MatchStmt
                | CaseStmt
                | AssertStmt
                | DelStmt
                | ImportStmt
                | ImportFromStmt
                | ImportFromFutureStmt
                | TypeStmt
                | AsyncKeyword
        )
    }
}

/// The token of a dialect's idiom `n` (`simpy_grammar::Idioms`): `<@n>`, which no SimPy token
/// or Python code spells, so tokenizers add it like a special token.
pub fn idiom_token(n: u32) -> String {
    format!("<@{n}>")
}

/// The number of an idiom token (`<@12>` is 12).
pub fn idiom_number(text: &str) -> Option<u32> {
    text.strip_prefix("<@")?
        .strip_suffix('>')
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::Special;

    #[test]
    fn statement_tokens_are_the_stmt_tokens_and_async() {
        for token in Special::ALL {
            let code = format!("{}x", token.text());
            assert_eq!(
                Special::starts_a_statement(&code),
                token.starts_statement(),
                "{token:?}"
            );
        }
        assert!(!Special::starts_a_statement("x<if_stmt>"));
        assert!(!Special::starts_a_statement("<lt"));
    }
}
