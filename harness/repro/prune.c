// SPDX-License-Identifier: GPL-2.0-only
/* prune.c - leave out of one C text the definitions nothing uses (prune.h). */
#include "prune.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum item_kind {
	IT_KEEP,  /* always printed, its words reach nothing (comments, #include, #endif ...) */
	IT_ROOT,  /* always printed, and what it names is reached (main, constructors,
		     macro calls, #if conditions, typedefs) */
	IT_MACRO, /* #define: printed once reached, by its name or by a ## that can make it */
	IT_NAMED, /* a function, prototype, variable, struct, union or enum: printed once
		     reached (an enum by its tag or any of its constants) */
	IT_CHECK, /* _Static_assert: printed, and what it names reached, once every
		     struct and union it names is reached by something else */
};

struct item {
	size_t start, end;
	enum item_kind kind;
	size_t name, namelen; /* its name; an enum's tag (0 when it has none) */
	int is_enum;
	int reached;
};

/* A name an item gives: one each, an enum one for its tag and one per constant. */
struct name {
	size_t at, len;
	int item;
	int next;         /* the next name of the same hash, or -1 */
	size_t first_use; /* where a kept item first names it (not as its own name) */
};

struct pr {
	const char *t;
	size_t n;
	struct item *items;
	int nitems, cap;
	struct name *names;
	int nnames, ncap;
	int *heads; /* hash of names: the first name of each, or -1 */
	unsigned hmask;
	/* function-like macros: a top-level call of one is an item of its own */
	size_t *macros, *macrolen;
	int nmacros;
};

static int ident0(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int ident(char c)
{
	return ident0(c) || (c >= '0' && c <= '9');
}

/* Past the string or character constant that starts at i. */
static size_t skip_literal(const char *t, size_t n, size_t i)
{
	char q = t[i++];

	while (i < n && t[i] != q && t[i] != '\n')
		i += t[i] == '\\' && i + 1 < n ? 2 : 1;
	return i < n && t[i] == q ? i + 1 : i;
}

/* Past the end of the preprocessor line at i (its continuations included), before its '\n'. */
static size_t skip_directive(const char *t, size_t n, size_t i)
{
	while (i < n && !(t[i] == '\n' && t[i - 1] != '\\'))
		i++;
	return i;
}

static size_t skip_blank(const char *t, size_t n, size_t i)
{
	while (i < n && (t[i] == ' ' || t[i] == '\t'))
		i++;
	return i;
}

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int is_macro(const struct pr *p, size_t at, size_t len)
{
	for (int k = 0; k < p->nmacros; k++)
		if (p->macrolen[k] == len && !memcmp(p->t + p->macros[k], p->t + at, len))
			return 1;
	return 0;
}

static int word_is(const char *t, size_t at, size_t len, const char *w)
{
	return strlen(w) == len && !memcmp(t + at, w, len);
}

/* Every `#define NAME(` at the start of a line: the function-like macros. */
static int find_macros(struct pr *p)
{
	int cap = 0;

	for (size_t i = 0; i < p->n; i++) {
		size_t at, len = 0;

		if ((i && p->t[i - 1] != '\n') || strncmp(p->t + i, "#define ", 8))
			continue;
		at = i + 8;
		while (at + len < p->n && ident(p->t[at + len]))
			len++;
		if (!len || at + len >= p->n || p->t[at + len] != '(')
			continue;
		if (p->nmacros == cap) {
			size_t *m, *l;

			cap = cap ? cap * 2 : 64;
			m = realloc(p->macros, (size_t)cap * sizeof(*m));
			if (m)
				p->macros = m;
			l = realloc(p->macrolen, (size_t)cap * sizeof(*l));
			if (l)
				p->macrolen = l;
			if (!m || !l)
				return ENOMEM;
		}
		p->macros[p->nmacros] = at;
		p->macrolen[p->nmacros++] = len;
	}
	return 0;
}

static struct item *new_item(struct pr *p, size_t start)
{
	if (p->nitems == p->cap) {
		int cap = p->cap ? p->cap * 2 : 256;
		struct item *it = realloc(p->items, (size_t)cap * sizeof(*it));

		if (!it)
			return NULL;
		p->items = it;
		p->cap = cap;
	}
	memset(&p->items[p->nitems], 0, sizeof(struct item));
	p->items[p->nitems].start = start;
	return &p->items[p->nitems++];
}

static int add_name(struct pr *p, size_t at, size_t len, int item)
{
	if (p->nnames == p->ncap) {
		int cap = p->ncap ? p->ncap * 2 : 256;
		struct name *nm = realloc(p->names, (size_t)cap * sizeof(*nm));

		if (!nm)
			return ENOMEM;
		p->names = nm;
		p->ncap = cap;
	}
	p->names[p->nnames++] =
		(struct name){.at = at, .len = len, .item = item, .next = -1, .first_use = SIZE_MAX};
	return 0;
}

/* The constants of enum item k: the first word of each element of its braces. */
static int enum_names(struct pr *p, int k)
{
	const struct item *it = &p->items[k];
	const char *t = p->t, *brace = memchr(t + it->start, '{', it->end - it->start);
	int depth = 0, first = 1, err = 0;

	for (size_t i = brace ? (size_t)(brace - t) + 1 : it->end; i < it->end && !err; i++) {
		char c = t[i];

		if (c == '#' && t[i - 1] == '\n') { /* a directive between constants */
			i = skip_directive(t, it->end, i);
		} else if (c == '"' || c == '\'') {
			i = skip_literal(t, it->end, i) - 1;
			first = 0;
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (depth-- == 0)
				break;
		} else if (c == ',' && depth == 0) {
			first = 1;
		} else if (first && ident0(c)) {
			size_t len = 0;

			while (ident(t[i + len]))
				len++;
			err = add_name(p, i, len, k);
			i += len - 1;
			first = 0;
		} else if (c != ' ' && c != '\t' && c != '\n') {
			first = 0;
		}
	}
	return err;
}

static int type_word(const char *t, size_t at, size_t len)
{
	return len && (word_is(t, at, len, "struct") || word_is(t, at, len, "union") ||
		       word_is(t, at, len, "enum"));
}

/*
 * The name a declaration or definition gives: the last word before the
 * first `(`, `[`, `=`, `;`, `,` or `{` at depth 0 (past any
 * __attribute__((...)) and the body of a struct, union or enum it
 * declares), or, for a pointer to a function, the word after the `(*`.
 * 0: none found.
 */
static int decl_name(struct pr *p, int k, struct item *it)
{
	const char *t = p->t;
	size_t last = 0, lastlen = 0, prev = 0, prevlen = 0;

	for (size_t i = it->start; i < it->end;) {
		char c = t[i];

		if (ident0(c)) {
			size_t len = 0;

			while (i + len < it->end && ident(t[i + len]))
				len++;
			if (word_is(t, i, len, "__attribute__")) {
				int depth = 0;

				for (i += len; i < it->end; i++) {
					depth += t[i] == '(';
					if (t[i] == ')' && --depth == 0) {
						i++;
						break;
					}
				}
				continue;
			}
			prev = last;
			prevlen = lastlen;
			last = i;
			lastlen = len;
			i += len;
			continue;
		}
		if (c == '{' && (type_word(t, last, lastlen) || type_word(t, prev, prevlen))) {
			/* static const struct { ... } name[]: the name comes after the type's
			 * body, and a tag it defines is a name of the item too */
			int depth = 0;

			if (!type_word(t, last, lastlen) && add_name(p, last, lastlen, k))
				return -1;
			for (; i < it->end; i++) {
				depth += (t[i] == '{') - (t[i] == '}');
				if (t[i] == '}' && depth == 0)
					break;
			}
			last = lastlen = 0;
			i++;
			continue;
		}
		if (c == '(') {
			size_t k = skip_blank(t, it->end, i + 1);

			if (k < it->end && t[k] == '*') { /* (*name)(...), (*const name[])(...) */
				for (;;) {
					k = skip_blank(t, it->end, k + 1);
					if (k < it->end && t[k] == '*')
						continue;
					if (!strncmp(t + k, "const ", 6) || !strncmp(t + k, "volatile ", 9)) {
						k += t[k] == 'c' ? 5 : 8;
						continue;
					}
					break;
				}
				last = k;
				for (lastlen = 0; k + lastlen < it->end && ident(t[k + lastlen]); lastlen++)
					;
			}
			break;
		}
		if (c == '[' || c == '=' || c == ';' || c == ',' || c == '{')
			break;
		i++;
	}
	it->name = last;
	it->namelen = lastlen;
	return lastlen > 0;
}

/* Item k (the last one): its kind and its names.  0, or ENOMEM. */
static int classify(struct pr *p, int k, int macro_call, int braces, int decl_first)
{
	struct item *it = &p->items[k];
	const char *t = p->t;
	size_t w = it->start, len = 0;
	int named;

	while (w + len < it->end && ident(t[w + len]))
		len++;
	if (macro_call || word_is(t, w, len, "typedef")) {
		it->kind = IT_ROOT;
		return 0;
	}
	if (word_is(t, w, len, "struct") || word_is(t, w, len, "union") ||
	    word_is(t, w, len, "enum")) {
		/* A type, unless it declares something: a function returning one, a
		 * variable initialized, a declarator after the closing brace. */
		size_t e = it->end, tag = w + len;

		while (e > it->start && (t[e - 1] == ';' || t[e - 1] == ' ' || t[e - 1] == '\t' ||
					 t[e - 1] == '\n'))
			e--;
		if (!decl_first && (!braces || t[e - 1] == '}')) {
			/* A type: a struct or union is its tag, an enum its tag and
			 * its constants, reached by the word. */
			int is_enum = word_is(t, w, len, "enum");

			tag = skip_blank(t, it->end, tag);
			it->kind = IT_ROOT;
			if (!ident0(t[tag]) && !(is_enum && braces))
				return 0;
			it->kind = IT_NAMED;
			it->is_enum = is_enum;
			if (ident0(t[tag])) {
				it->name = tag;
				for (it->namelen = 0; ident(t[tag + it->namelen]); it->namelen++)
					;
				if (add_name(p, it->name, it->namelen, k))
					return ENOMEM;
			}
			named = p->nnames;
			if (is_enum && braces && enum_names(p, k))
				return ENOMEM;
			if (!it->namelen && named == p->nnames)
				it->kind = IT_ROOT; /* enum { }: nothing names it */
			return 0;
		}
	}
	named = decl_name(p, k, it);
	if (named < 0)
		return ENOMEM;
	if (!named) {
		it->kind = IT_ROOT; /* cannot tell: keep it */
		return 0;
	}
	it->kind = IT_NAMED;
	if (word_is(t, it->name, it->namelen, "_Static_assert")) {
		it->kind = IT_CHECK;
		return 0;
	}
	if (word_is(t, it->name, it->namelen, "main") ||
	    memmem(t + it->start, it->end - it->start, "constructor", 11))
		it->kind = IT_ROOT;
	return add_name(p, it->name, it->namelen, k);
}

/* One item from i (not blank): its end, kind and name. */
static int split_one(struct pr *p, size_t i, size_t *next)
{
	const char *t = p->t;
	size_t n = p->n, j, len = 0;
	struct item *it = new_item(p, i);
	int depth = 0, braces = 0, paren_first = 0, eq_first = 0, macro_call;

	if (!it)
		return ENOMEM;
	if (t[i] == '#') {
		it->end = skip_directive(t, n, i);
		it->kind = IT_KEEP;
		if (!strncmp(t + i, "#define ", 8)) {
			it->kind = IT_MACRO;
			it->name = i + 8;
			while (it->name + it->namelen < n && ident(t[it->name + it->namelen]))
				it->namelen++;
			*next = it->end;
			return add_name(p, it->name, it->namelen, (int)(it - p->items));
		} else if (!strncmp(t + i, "#if", 3) || !strncmp(t + i, "#elif", 5)) {
			it->kind = IT_ROOT; /* #if, #ifdef, #ifndef: the macros it tests stay */
		}
		*next = it->end;
		return 0;
	}
	if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
		const char *e = strstr(t + i + 2, "*/");

		it->end = e ? (size_t)(e - t) + 2 : n;
		it->kind = IT_KEEP;
		*next = it->end;
		return 0;
	}
	while (i + len < n && ident(t[i + len]))
		len++;
	macro_call = len && is_macro(p, i, len);
	for (j = i; j < n; j++) {
		char c = t[j];

		if (c == '"' || c == '\'') {
			j = skip_literal(t, n, j) - 1;
			continue;
		}
		if (c == '#' && t[j - 1] == '\n') { /* a directive inside the item */
			j = skip_directive(t, n, j);
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			if (depth == 0 && c == '(' && !braces && !eq_first)
				paren_first = 1;
			if (depth == 0 && c == '{')
				braces = 1;
			depth++;
			continue;
		}
		if (c == ')' || c == ']' || c == '}') {
			size_t k;

			if (--depth > 0)
				continue;
			k = skip_blank(t, n, j + 1);
			if (c == '}' && paren_first && !eq_first && (k >= n || t[k] == '\n'))
				break; /* a function definition */
			if (c == ')' && macro_call && !braces && (k >= n || t[k] == '\n'))
				break; /* FC_FAMILY(...) */
			continue;
		}
		if (depth == 0 && c == '=' && !braces)
			eq_first = 1;
		if (depth == 0 && c == ';')
			break;
	}
	it->end = j < n ? j + 1 : n;
	*next = it->end;
	return classify(p, (int)(it - p->items), macro_call, braces, eq_first || paren_first);
}

static void reach(struct pr *p, int k, int *stack, int *sp)
{
	if (p->items[k].reached)
		return;
	p->items[k].reached = 1;
	stack[(*sp)++] = k;
}

/* Whether the word at i follows `.` or `->` (blanks between allowed). */
static int member(const char *t, size_t start, size_t i)
{
	while (i > start && (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n'))
		i--;
	if (i > start && t[i - 1] == '.')
		return i < start + 2 || t[i - 2] != '.'; /* not `...` */
	return i > start + 1 && t[i - 1] == '>' && t[i - 2] == '-';
}

/*
 * Whether the item is a struct or union definition (no `(` before its
 * `{`): in it, a member's own name names nothing.
 */
static int type_body(const char *t, const struct item *it)
{
	const char *brace = memchr(t + it->start, '{', it->end - it->start);

	if (it->kind != IT_NAMED || !brace ||
	    (strncmp(t + it->start, "struct", 6) && strncmp(t + it->start, "union", 5)))
		return 0;
	return !memchr(t + it->start, '(', (size_t)(brace - (t + it->start)));
}

/* Whether the word ending at e is a declared name: ; [ : , or ) follows it. */
static int declarator(const char *t, size_t e, size_t end)
{
	e = skip_blank(t, end, e);
	return e < end && strchr(";[:,)", t[e]);
}

/*
 * The items a word names, reached; with weak, only its macros and enums (a
 * member of the same name as a function keeps nothing, one sized or
 * initialized by a macro keeps that).
 */
static void reach_name(struct pr *p, size_t at, size_t len, int weak, int *stack, int *sp)
{
	for (int h = p->heads[hash(p->t + at, len) & p->hmask]; h >= 0; h = p->names[h].next) {
		struct name *nm = &p->names[h];
		const struct item *it = &p->items[nm->item];

		if (nm->len != len || memcmp(p->t + nm->at, p->t + at, len))
			continue;
		if (!weak && at < nm->first_use)
			nm->first_use = at;
		if (!weak || it->kind == IT_MACRO || it->is_enum)
			reach(p, nm->item, stack, sp);
	}
}

/* Whether the word at w is a parameter of the function-like macro item it. */
static int macro_param(const char *t, const struct item *it, size_t w, size_t len)
{
	size_t i = it->name + it->namelen;

	if (t[i] != '(')
		return 0;
	for (i++; i < it->end && t[i] != ')';) {
		size_t plen = 0;

		while (ident(t[i + plen]))
			plen++;
		if (plen == len && !memcmp(t + i, t + w, len))
			return 1;
		i += plen ? plen : 1;
	}
	return word_is(t, w, len, "__VA_ARGS__");
}

/*
 * What a ## in macro item k can make, reached: every name that starts with
 * the fixed word before it (FUSE_##f) and ends with the fixed word after it
 * (var##_register); either side a parameter matches any name.
 */
static void reach_pasted(struct pr *p, int k, int *stack, int *sp)
{
	const struct item *it = &p->items[k];
	const char *t = p->t;

	for (size_t i = it->name; i + 1 < it->end; i++) {
		size_t l = i, ll = 0, r, rl = 0;

		if (t[i] == '"' || t[i] == '\'') {
			i = skip_literal(t, it->end, i) - 1;
			continue;
		}
		if (t[i] != '#' || t[i + 1] != '#')
			continue;
		while (l > it->start && (t[l - 1] == ' ' || t[l - 1] == '\t'))
			l--;
		for (; l > it->start && ident(t[l - 1]); ll++)
			l--;
		r = skip_blank(t, it->end, i + 2);
		while (r + rl < it->end && ident(t[r + rl]))
			rl++;
		if (ll && macro_param(t, it, l, ll))
			ll = 0;
		if (rl && macro_param(t, it, r, rl))
			rl = 0;
		for (int n = 0; n < p->nnames; n++) {
			const struct name *nm = &p->names[n];

			if (nm->len >= ll + rl && !memcmp(t + nm->at, t + l, ll) &&
			    !memcmp(t + nm->at + nm->len - rl, t + r, rl))
				reach(p, nm->item, stack, sp);
		}
		i++;
	}
}

/* What item k names, reached. */
static void reach_words(struct pr *p, int k, int *stack, int *sp)
{
	const struct item *it = &p->items[k];
	const char *t = p->t;
	int members = type_body(t, it);

	for (size_t i = it->start; i < it->end;) {
		size_t len = 0;

		if (t[i] == '"' || t[i] == '\'') {
			i = skip_literal(t, it->end, i);
			continue;
		}
		if (!ident0(t[i])) {
			/* a number's letters are not a word: 0x1fu */
			if (t[i] >= '0' && t[i] <= '9')
				while (i < it->end && ident(t[i]))
					i++;
			else
				i++;
			continue;
		}
		while (i + len < it->end && ident(t[i + len]))
			len++;
		/* .name, ->name, or a member declared: not a definition's name */
		if (i != it->name || it->kind != IT_NAMED)
			reach_name(p, i, len,
				   member(t, it->start, i) ||
					   (members && declarator(t, i + len, it->end)),
				   stack, sp);
		i += len;
	}
	if (it->kind == IT_MACRO && memmem(t + it->start, it->end - it->start, "##", 2))
		reach_pasted(p, k, stack, sp);
}

/*
 * Whether every struct and union the check item k names (`struct tag`, a
 * tag this text defines) is reached: a check of a layout no code uses goes
 * with the layout.
 */
static int check_holds(const struct pr *p, int k)
{
	const struct item *it = &p->items[k];
	const char *t = p->t;

	for (size_t i = it->start; i < it->end; i++) {
		size_t w, len = 0;

		if (!(i == it->start || !ident(t[i - 1])) ||
		    (strncmp(t + i, "struct", 6) && strncmp(t + i, "union", 5)))
			continue;
		w = skip_blank(t, it->end, i + (t[i] == 's' ? 6 : 5));
		if (w == i + (t[i] == 's' ? 6 : 5))
			continue; /* structure, unionize: another word */
		while (w + len < it->end && ident(t[w + len]))
			len++;
		for (int h = p->heads[hash(t + w, len) & p->hmask]; len && h >= 0; h = p->names[h].next)
			if (p->names[h].len == len && !memcmp(t + p->names[h].at, t + w, len) &&
			    !p->items[p->names[h].item].reached)
				return 0;
	}
	return 1;
}

static int mark(struct pr *p)
{
	unsigned size = 1;
	int *stack, sp = 0;

	while (size < 2u * (unsigned)p->nnames)
		size <<= 1;
	p->hmask = size - 1;
	p->heads = malloc(size * sizeof(int));
	stack = malloc(((size_t)p->nitems + 1) * sizeof(int));
	if (!p->heads || !stack) {
		free(stack);
		return ENOMEM;
	}
	memset(p->heads, 0xff, size * sizeof(int));
	/* Later names first in each chain: the chains keep the text's order reversed, harmless. */
	for (int k = 0; k < p->nnames; k++) {
		struct name *nm = &p->names[k];
		uint32_t h = hash(p->t + nm->at, nm->len) & p->hmask;

		nm->next = p->heads[h];
		p->heads[h] = k;
	}
	for (int k = 0; k < p->nitems; k++)
		if (p->items[k].kind == IT_ROOT)
			reach(p, k, stack, &sp);
	while (sp > 0) {
		while (sp > 0)
			reach_words(p, stack[--sp], stack, &sp);
		/* What the reached code uses is known: the checks of it come in. */
		for (int k = 0; k < p->nitems; k++)
			if (p->items[k].kind == IT_CHECK && !p->items[k].reached && check_holds(p, k))
				reach(p, k, stack, &sp);
	}
	free(stack);
	return 0;
}

/*
 * A fallback (#ifndef X, #define X ..., #endif) is one macro: it goes with
 * its #define unless something names X.  0, or ENOMEM.
 */
static int fallbacks(struct pr *p)
{
	for (int k = 0; k + 2 < p->nitems; k++) {
		struct item *a = &p->items[k], *d = &p->items[k + 1], *e = &p->items[k + 2];
		const char *t = p->t;

		if (strncmp(t + a->start, "#ifndef ", 8) || d->kind != IT_MACRO ||
		    strncmp(t + e->start, "#endif", 6) || a->end - a->start != 8 + d->namelen ||
		    memcmp(t + a->start + 8, t + d->name, d->namelen))
			continue;
		a->kind = e->kind = IT_MACRO;
		a->name = e->name = d->name;
		a->namelen = e->namelen = d->namelen;
		if (add_name(p, d->name, d->namelen, k) || add_name(p, d->name, d->namelen, k + 2))
			return ENOMEM;
	}
	return 0;
}

/* Whether item k declares or defines (body) a function: its name then `(`. */
static int function_item(const struct pr *p, int k, int body)
{
	const struct item *it = &p->items[k];
	const char *t = p->t;
	size_t after = skip_blank(t, it->end, it->name + it->namelen);

	if (it->kind != IT_NAMED || !it->namelen || after >= it->end || t[after] != '(' ||
	    (memchr(t + it->start, '{', it->end - it->start) != NULL) != body)
		return 0;
	/* An attribute (noreturn, format) says more than the definition may: it stays. */
	return body || (!memchr(t + it->start, '=', it->end - it->start) &&
			!memmem(t + it->start, it->end - it->start, "__attribute__", 13));
}

/*
 * Whether the prototype item k is needed: it is not when the function's one
 * definition comes before anything kept names it (the compiler has seen the
 * definition by then).
 */
static int prototype_needed(const struct pr *p, int k)
{
	const struct item *it = &p->items[k];
	size_t def = 0, first_use = SIZE_MAX;
	int defs = 0;

	if (!function_item(p, k, 0))
		return 1;
	for (int h = p->heads[hash(p->t + it->name, it->namelen) & p->hmask]; h >= 0;
	     h = p->names[h].next) {
		const struct name *nm = &p->names[h];

		if (nm->len != it->namelen || memcmp(p->t + nm->at, p->t + it->name, nm->len))
			continue;
		if (nm->first_use < first_use)
			first_use = nm->first_use;
		if (p->items[nm->item].reached && function_item(p, nm->item, 1)) {
			defs++;
			def = p->items[nm->item].start;
		}
	}
	return defs != 1 || first_use < def;
}

int prune(FILE *f, const char *text)
{
	struct pr p = {.t = text, .n = strlen(text)};
	int err = find_macros(&p);

	for (size_t i = 0; !err && i < p.n;) {
		if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
			i++;
			continue;
		}
		err = split_one(&p, i, &i);
	}
	if (!err)
		err = fallbacks(&p);
	if (!err)
		err = mark(&p);
	/* A name can reach a static nothing calls (a local of the same name): not a bug here. */
	if (!err)
		fprintf(f, "#pragma GCC diagnostic ignored \"-Wunused-function\"\n"
			   "#pragma GCC diagnostic ignored \"-Wunused-variable\"\n"
			   "#pragma GCC diagnostic ignored \"-Wunused-const-variable\"\n");
	for (int k = 0; !err && k < p.nitems; k++) {
		const struct item *it = &p.items[k];

		if (it->kind == IT_KEEP || it->kind == IT_ROOT ||
		    (it->reached && prototype_needed(&p, k)))
			fprintf(f, "%.*s\n", (int)(it->end - it->start), text + it->start);
	}
	free(p.items);
	free(p.names);
	free(p.heads);
	free(p.macros);
	free(p.macrolen);
	return err;
}
