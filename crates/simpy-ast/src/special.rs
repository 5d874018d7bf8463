//! SimPy's special tokens: the one table every crate takes their spelling from (the printer,
//! the parser's lexer and grammar, the tokenizers, SPEC.md's list, checked by tests). A token
//! is named by its variant, so a misspelt one does not compile.

macro_rules! specials {
    ($($variant:ident = $text:literal,)*) => {
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

            /// The token spelt `text`, if there is one.
            pub fn from_text(text: &str) -> Option<Special> {
                match text { $($text => Some(Special::$variant),)* _ => None }
            }
        }
    };
}

specials! {
    BlockStart = "<block_start>",
    BlockEnd = "<block_end>",
    LineSep = "<line_sep>",
    Concat = "<concat>",
    DefStmt = "<def_stmt>",
    ClassStmt = "<class_stmt>",
    IfStmt = "<if_stmt>",
    ElifStmt = "<elif_stmt>",
    ElseStmt = "<else_stmt>",
    ForStmt = "<for_stmt>",
    WhileStmt = "<while_stmt>",
    TryStmt = "<try_stmt>",
    ExceptStmt = "<except_stmt>",
    ExceptGroupStmt = "<except_group_stmt>",
    FinallyStmt = "<finally_stmt>",
    WithStmt = "<with_stmt>",
    MatchStmt = "<match_stmt>",
    CaseStmt = "<case_stmt>",
    AssertStmt = "<assert_stmt>",
    DelStmt = "<del_stmt>",
    ImportStmt = "<import_stmt>",
    ImportFromStmt = "<import_from_stmt>",
    ImportFromFutureStmt = "<import_from_future_stmt>",
    TypeStmt = "<type_stmt>",
    AsyncKeyword = "<async_keyword>",
    Return = "<return>",
    Raise = "<raise>",
    Pass = "<pass>",
    Break = "<break>",
    Continue = "<continue>",
    Global = "<global>",
    Nonlocal = "<nonlocal>",
    Yield = "<yield>",
    Await = "<await>",
    Lambda = "<lambda>",
    From = "<from>",
    As = "<as>",
    In = "<in>",
    Is = "<is>",
    Not = "<not>",
    And = "<and>",
    Or = "<or>",
    If = "<if>",
    Else = "<else>",
    For = "<for>",
    True = "<true>",
    False = "<false>",
    None = "<none>",
    IsNot = "<isnot>",
    NotIn = "<notin>",
    Print = "<print>",
    Exec = "<exec>",
    Lt = "<l>",
    Gt = "<g>",
    LtE = "<le>",
    GtE = "<ge>",
    Eq = "<eq>",
    NotEq = "<ne>",
    LtGt = "<lgne>",
    LShift = "<lshift>",
    RShift = "<rshift>",
    FloorDiv = "<floordiv>",
    Times = "<times>",
    Power = "<power>",
    Arrow = "<arrow>",
    Ellipsis = "<ellipsis>",
    AugAdd = "<augadd>",
    AugSub = "<augsub>",
    AugMul = "<augmul>",
    AugDiv = "<augdiv>",
    AugMatMul = "<augmatmul>",
    AugFloorDiv = "<augfloordiv>",
    AugMod = "<augmod>",
    AugPow = "<augpow>",
    AugRShift = "<augrshift>",
    AugLShift = "<auglshift>",
    AugAnd = "<augand>",
    AugXor = "<augxor>",
    AugOr = "<augor>",
}

impl Special {
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
