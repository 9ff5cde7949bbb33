import { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, type QueryNode } from './ast.ts';
import { QueryParseError } from './error.ts';
import { Lexer, type Token } from './lexer.ts';

/**
 * Recursive-descent parser. Grammar (NOT binds tighter than AND, AND tighter than OR; two operands
 * side by side are an implicit AND):
 *
 *     query   := or EOF
 *     or      := and ("OR" and)*
 *     and     := unary (["AND"] unary)*
 *     unary   := ("NOT" | "-") unary | primary
 *     primary := leaf | "(" or ")"
 *
 * Recursion only happens through parentheses and negations, both counted against
 * MAX_QUERY_DEPTH, so a hostile query gets an error instead of a stack overflow.
 */

export function parseQuery(input: string): QueryNode {
  if (input.length > MAX_QUERY_LENGTH) {
    throw new QueryParseError(
      `Query is too long: ${input.length} characters (maximum ${MAX_QUERY_LENGTH})`,
      MAX_QUERY_LENGTH,
    );
  }
  if (input.trim() === '') throw new QueryParseError('Empty query', 0);
  return new Parser(input).parse();
}

function startsOperand(token: Token): boolean {
  return token.kind === 'leaf' || token.kind === 'lparen' || token.kind === 'not' || token.kind === 'minus';
}

/** Builds an AND/OR node, splicing in children of the same kind so chains stay flat. */
function combine(type: 'and' | 'or', parts: QueryNode[]): QueryNode {
  if (parts.length === 1 && parts[0]) return parts[0];
  const children: QueryNode[] = [];
  for (const part of parts) {
    if (part.type === type) children.push(...part.children);
    else children.push(part);
  }
  return { type, children };
}

class Parser {
  private readonly lexer: Lexer;

  constructor(input: string) {
    this.lexer = new Lexer(input);
  }

  parse(): QueryNode {
    const node = this.parseOr(0, null);
    const token = this.lexer.peek();
    if (token.kind === 'rparen')
      throw new QueryParseError(`Unbalanced ")" at position ${token.start}`, token.start);
    // Every other token either continues an expression or starts one, so only EOF is left here.
    if (token.kind !== 'eof') throw unexpected(token);
    return node;
  }

  /** `after` is the token before this expression (for "Expected a term after ..." messages). */
  private parseOr(depth: number, after: Token | null): QueryNode {
    const parts = [this.parseAnd(depth, after)];
    while (this.lexer.peek().kind === 'or') {
      const op = this.lexer.next();
      parts.push(this.parseAnd(depth, op));
    }
    return combine('or', parts);
  }

  private parseAnd(depth: number, after: Token | null): QueryNode {
    const parts = [this.parseUnary(depth, after)];
    for (;;) {
      const token = this.lexer.peek();
      if (token.kind === 'and') {
        this.lexer.next();
        parts.push(this.parseUnary(depth, token));
      } else if (startsOperand(token)) {
        parts.push(this.parseUnary(depth, null));
      } else {
        break;
      }
    }
    return combine('and', parts);
  }

  private parseUnary(depth: number, after: Token | null): QueryNode {
    const token = this.lexer.peek();
    switch (token.kind) {
      case 'not':
      case 'minus':
        this.lexer.next();
        checkDepth(depth + 1, token);
        return { type: 'not', child: this.parseUnary(depth + 1, token) };
      case 'lparen': {
        this.lexer.next();
        checkDepth(depth + 1, token);
        if (this.lexer.peek().kind === 'rparen') {
          throw new QueryParseError(`Empty parentheses "()" at position ${token.start}`, token.start);
        }
        const inner = this.parseOr(depth + 1, token);
        const close = this.lexer.peek();
        if (close.kind !== 'rparen') {
          throw new QueryParseError(`Unclosed "(" at position ${token.start} (expected ")")`, token.start);
        }
        this.lexer.next();
        return inner;
      }
      case 'leaf':
        this.lexer.next();
        return token.node;
      default:
        throw expectedTerm(after, token);
    }
  }
}

function checkDepth(depth: number, token: Token): void {
  if (depth > MAX_QUERY_DEPTH) {
    throw new QueryParseError(
      `Query is nested too deeply at position ${token.start} (maximum depth ${MAX_QUERY_DEPTH})`,
      token.start,
    );
  }
}

function expectedTerm(after: Token | null, found: Token): QueryParseError {
  const at = found.start;
  if (after === null) {
    if (found.kind === 'rparen') return new QueryParseError(`Unbalanced ")" at position ${at}`, at);
    if (found.kind === 'eof') return new QueryParseError('Empty query', 0);
    return new QueryParseError(`Expected a term before "${found.text}" at position ${at}`, at);
  }
  if (found.kind === 'eof')
    return new QueryParseError(`Expected a term after "${after.text}" at position ${at}`, at);
  return new QueryParseError(
    `Expected a term after "${after.text}" but found "${found.text}" at position ${at}`,
    at,
  );
}

function unexpected(token: Token): QueryParseError {
  return new QueryParseError(`Unexpected "${token.text}" at position ${token.start}`, token.start);
}
