import WritSyntax
