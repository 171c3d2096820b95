// SPDX-License-Identifier: GPL-2.0-only
/* amalgam.c - the harness's own sources as one C text (amalgam.h). */
#include "amalgam.h"
#include "prune.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct amalg_source *amalg_find(const char *path)
{
	for (unsigned i = 0; i < amalg_nsources; i++)
		if (!strcmp(amalg_sources[i].path, path))
			return &amalg_sources[i];
	return NULL;
}

/* The embedded header an `#include "name"` means: the one file of that name. */
static int header_index(const char *name, size_t len)
{
	for (unsigned i = 0; i < amalg_nsources; i++) {
		const char *p = amalg_sources[i].path, *base = strrchr(p, '/');

		base = base ? base + 1 : p;
		if (strlen(base) == len && !strncmp(base, name, len))
			return (int)i;
	}
	return -1;
}

static int is_header(unsigned i)
{
	size_t n = strlen(amalg_sources[i].path);

	return n > 2 && !strcmp(amalg_sources[i].path + n - 2, ".h");
}

/*
 * Whether source j implements header i: beside it, named as it is or
 * with a suffix ("transport.h": transport_devfuse.c, transport_uring.c).
 */
static int implements(unsigned i, unsigned j)
{
	const char *h = amalg_sources[i].path, *c = amalg_sources[j].path;
	size_t stem = strlen(h) - 2;

	if (is_header(j) || strncmp(h, c, stem))
		return 0;
	return !strcmp(c + stem, ".c") || (c[stem] == '_' && !strchr(c + stem, '/'));
}

/*
 * The next quoted include of text from *pos: its name and length, or NULL
 * when there is none left.
 */
static const char *next_include(const char *text, const char **pos, size_t *len)
{
	const char *p = *pos;

	while (p && *p) {
		const char *line = p, *nl = strchr(p, '\n');

		p = nl ? nl + 1 : NULL;
		if (!strncmp(line, "#include \"", 10)) {
			const char *name = line + 10, *end = strchr(name, '"');

			if (end && (!nl || end < nl)) {
				*pos = p;
				*len = (size_t)(end - name);
				return name;
			}
		}
	}
	*pos = NULL;
	return NULL;
}

/* ---- build options ---- */

/*
 * A build option is a macro named FSNC_CONFIG_*: fsnc's own build defines
 * every one (CMakeLists.txt), and a reproducer is written with the ones its
 * case can use, the way Kconfig leaves code out of a kernel.  An option is
 * settled here, not by the compiler: `#ifdef OPT`, `#ifndef OPT`, `#if
 * defined(OPT)` and `#if !defined(OPT)`, with their #else and #endif, go,
 * and so does the branch not taken, so what an option leaves out is never
 * amalgamated (the header's #else gives the stubs that say it is not built
 * in).  Other conditionals stay for the compiler.
 */
#define CONFIG_PREFIX "FSNC_CONFIG_"

static int config_on(const char *const *config, const char *name, size_t len)
{
	for (; config && *config; config++)
		if (strlen(*config) == len && !strncmp(*config, name, len))
			return 1;
	return 0;
}

/*
 * Whether the directive at line tests an option: 1 and *on when it does
 * (*on: the first branch is taken), 0 when it does not.
 */
static int config_test(const char *line, const char *const *config, int *on)
{
	static const struct {
		const char *head, *tail;
		int negate;
	} forms[] = {
		{"#ifdef ", "", 0},
		{"#ifndef ", "", 1},
		{"#if defined(", ")", 0},
		{"#if !defined(", ")", 1},
	};

	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		size_t hl = strlen(forms[f].head), tl = strlen(forms[f].tail), len = 0;
		const char *name = line + hl;

		if (strncmp(line, forms[f].head, hl) || strncmp(name, CONFIG_PREFIX, strlen(CONFIG_PREFIX)))
			continue;
		while ((name[len] >= 'A' && name[len] <= 'Z') || (name[len] >= '0' && name[len] <= '9') ||
		       name[len] == '_')
			len++;
		if (strncmp(name + len, forms[f].tail, tl))
			continue;
		*on = config_on(config, name, len) != forms[f].negate;
		return 1;
	}
	return 0;
}

/*
 * text with every option settled (see above): a new string, or NULL (ENOMEM,
 * or EINVAL with the reason in missing: an #elif after a test of an
 * option, or an unbalanced conditional).
 */
static char *resolve(const char *path, const char *text, const char *const *config, char *missing,
		     size_t cap, int *err)
{
	/* One level per open conditional: -1 the compiler's, 0/1 an option's branch. */
	signed char level[64];
	int depth = 0, dropped = 0; /* dropped: levels of untaken option branches around */
	size_t n = strlen(text);
	char *out = malloc(n + 1), *o = out;

	*err = ENOMEM;
	if (!out)
		return NULL;
	*err = EINVAL;
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		int keep = !dropped, on;

		if (*line == '#') {
			if (config_test(line, config, &on) || !strncmp(line, "#if", 3)) {
				int option = config_test(line, config, &on);

				if (depth == (int)sizeof(level))
					goto bad;
				level[depth++] = (signed char)(option ? on : -1);
				if (option) {
					keep = 0;
					dropped += !on;
				}
			} else if (!strncmp(line, "#el", 3) || !strncmp(line, "#endif", 6)) {
				if (!depth)
					goto bad;
				if (level[depth - 1] >= 0) {
					if (!strncmp(line, "#elif", 5))
						goto bad;
					keep = 0;
					dropped -= !level[depth - 1];
					if (line[1] == 'e' && line[2] == 'l') { /* #else */
						level[depth - 1] = (signed char)!level[depth - 1];
						dropped += !level[depth - 1];
					}
				}
				if (!strncmp(line, "#endif", 6))
					depth--;
				keep = keep && !dropped;
			}
		}
		if (keep) {
			memcpy(o, line, len);
			o += len;
		}
		line += len;
	}
	if (depth)
		goto bad;
	*o = 0;
	*err = 0;
	return out;
bad:
	snprintf(missing, cap, "%s: a build option's conditional it cannot settle", path);
	free(out);
	return NULL;
}

/*
 * A header's include guard (#ifndef G, #define G, ..., #endif), cut out of
 * text in place: the amalgamation prints each header once.  A header of
 * another shape stays as it is.
 */
static void drop_guard(char *text)
{
	char *ifndef = strstr(text, "#ifndef "), *define, *endif, *nl, *end;
	size_t glen;

	if (!ifndef || (ifndef != text && ifndef[-1] != '\n'))
		return;
	glen = strcspn(ifndef + 8, " \t\n");
	define = strchr(ifndef, '\n');
	if (!define || strncmp(define + 1, "#define ", 8) || strncmp(define + 9, ifndef + 8, glen) ||
	    (define[9 + glen] != '\n' && define[9 + glen] != ' '))
		return;
	define++;
	for (endif = NULL, nl = define; (nl = strstr(nl, "\n#endif")); nl++)
		endif = nl + 1;
	if (!endif)
		return;
	end = endif + strcspn(endif, "\n");
	if (end[strspn(end, " \t\n")])
		return; /* the last #endif is not the file's last line */
	*endif = 0;
	end = strchr(define, '\n');
	memmove(ifndef, end + 1, strlen(end + 1) + 1);
}

struct walk {
	unsigned char *in;   /* in the closure */
	unsigned char *done; /* printed */
	int *order;          /* the closure, in the order found */
	int n;
	char **text;         /* each file in the closure, its build options settled */
	const char *const *config;
	char *missing;
	size_t cap;
};

static int add(struct walk *w, int i)
{
	int err;

	if (w->in[i])
		return 0;
	w->text[i] = resolve(amalg_sources[i].path, amalg_sources[i].text, w->config, w->missing,
			     w->cap, &err);
	if (!w->text[i])
		return err;
	if (is_header((unsigned)i))
		drop_guard(w->text[i]);
	w->in[i] = 1;
	w->order[w->n++] = i;
	return 0;
}

/* Everything the files in w->order include, and the .c beside every header. */
static int close_over(struct walk *w)
{
	for (int k = 0; k < w->n; k++) {
		unsigned i = (unsigned)w->order[k];
		const char *pos = w->text[i], *name;
		size_t len;
		int err;

		while ((name = next_include(w->text[i], &pos, &len))) {
			int h = header_index(name, len);

			if (h < 0) {
				snprintf(w->missing, w->cap, "%.*s (included by %s)", (int)len, name,
					 amalg_sources[i].path);
				return ENOENT;
			}
			if ((err = add(w, h)))
				return err;
		}
		if (is_header(i))
			for (unsigned j = 0; j < amalg_nsources; j++)
				if (implements(i, j) && (err = add(w, (int)j)))
					return err;
	}
	return 0;
}

/* ---- printing ---- */

/*
 * Comments become one space each, as in translation phase 3; strings and
 * character constants pass untouched.  The result goes through lines() .
 */
static char *strip_comments(const char *t)
{
	size_t n = strlen(t);
	char *out = malloc(n + 1), *o = out;

	if (!out)
		return NULL;
	while (*t) {
		if (t[0] == '/' && t[1] == '*') {
			const char *end = strstr(t + 2, "*/");

			t = end ? end + 2 : t + strlen(t);
			*o++ = ' ';
		} else if (t[0] == '/' && t[1] == '/') {
			while (*t && *t != '\n')
				t++;
		} else if (*t == '"' || *t == '\'') {
			char q = *t;

			*o++ = *t++;
			while (*t && *t != q && *t != '\n') {
				if (*t == '\\' && t[1])
					*o++ = *t++;
				*o++ = *t++;
			}
			if (*t == q)
				*o++ = *t++;
		} else {
			*o++ = *t++;
		}
	}
	*o = 0;
	return out;
}

/*
 * Print the stripped text line by line: no quoted #include (nor, with
 * system set, a system one: the file's are printed first, system_includes()),
 * no trailing blanks, no empty line (unless a continued macro ends on it).
 */
static void lines(FILE *f, char *t, int system)
{
	int continued = 0;

	for (char *line = t; line && *line;) {
		char *nl = strchr(line, '\n'), *end;

		if (nl)
			*nl = 0;
		end = line + strlen(line);
		while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = 0;
		if ((end > line || continued) && strncmp(line, "#include \"", 10) &&
		    (!system || strncmp(line, "#include <", 10)))
			fprintf(f, "%s\n", line);
		continued = end > line && end[-1] == '\\';
		line = nl ? nl + 1 : NULL;
	}
}

static void strip(FILE *f, const char *text, int system)
{
	char *t = strip_comments(text);

	if (t)
		lines(f, t, system);
	free(t);
}

void amalg_strip(FILE *f, const char *text)
{
	strip(f, text, 0);
}

int amalg_mentions(const char *path, const char *prefix)
{
	const struct amalg_source *src = amalg_find(path);
	char *t = src ? strip_comments(src->text) : NULL;
	size_t plen = strlen(prefix);
	int found = 0;

	for (const char *p = t; p && *p && !found;) {
		if (*p == '"' || *p == '\'') { /* a string names nothing */
			char q = *p++;

			while (*p && *p != q && *p != '\n')
				p += p[0] == '\\' && p[1] ? 2 : 1;
			p += *p == q;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			const char *w = p;

			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			found = (size_t)(p - w) >= plen && !strncmp(w, prefix, plen);
		} else {
			p++;
		}
	}
	free(t);
	return found;
}

static int includes(const char *path, const char *header, int depth)
{
	const struct amalg_source *src = depth < 8 ? amalg_find(path) : NULL;
	const char *slash = strrchr(path, '/'), *pos, *name;
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, len;

	pos = src ? src->text : NULL;
	while ((name = next_include(src ? src->text : "", &pos, &len))) {
		int h = header_index(name, len);

		if (len == strlen(header) && !strncmp(name, header, len))
			return 1;
		/* through the headers beside it (cases/ext_common.h), not the harness's */
		if (h >= 0 && !strncmp(amalg_sources[h].path, path, dirlen) &&
		    includes(amalg_sources[h].path, header, depth + 1))
			return 1;
	}
	return 0;
}

int amalg_includes(const char *path, const char *header)
{
	return includes(path, header, 0);
}

/* Whether name occurs in text as a whole word (comments and strings too: a superset). */
static int has_word(const char *text, const char *name, size_t len)
{
	for (const char *p = text; (p = memmem(p, strlen(p), name, len)); p += len) {
		char before = p > text ? p[-1] : ' ', after = p[len];

		if (!isalnum((unsigned char)before) && before != '_' && !isalnum((unsigned char)after) &&
		    after != '_')
			return 1;
	}
	return 0;
}

/*
 * A .c's macros end with its translation unit: before it, each name it
 * #defines is saved as it stands (defined by a header, or not at all), and
 * after it restored (#pragma push_macro / pop_macro), so neither a
 * fallback it defines nor a name it reuses reaches the next file.  A name
 * no other file of the closure has needs neither.
 */
static void local_macros(FILE *f, const struct walk *w, unsigned i, const char *pragma)
{
	for (const char *p = w->text[i]; p && *p;) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, "#define ", 8)) {
			const char *name = p + 8;
			size_t len = strcspn(name, " \t(\n");
			int shared = 0;

			for (int k = 0; k < w->n && !shared; k++)
				shared = (unsigned)w->order[k] != i && has_word(w->text[w->order[k]], name, len);
			if (shared)
				fprintf(f, "#pragma %s(\"%.*s\")\n", pragma, (int)len, name);
		}
		p = nl ? nl + 1 : NULL;
	}
}

static void print_file(FILE *f, const struct walk *w, unsigned i)
{
	fprintf(f, "\n/* ---- %s ---- */\n", amalg_sources[i].path);
	if (!is_header(i))
		local_macros(f, w, i, "push_macro");
	strip(f, w->text[i], 1);
	if (!is_header(i))
		local_macros(f, w, i, "pop_macro");
}

/*
 * The `#include <...>` lines of the closure, each once, in the order found.
 * Past 256 distinct ones a line may print twice, which a header's guard
 * makes harmless.
 */
static void system_includes(FILE *f, const struct walk *w)
{
	const char *line[256];
	size_t len[256];
	int n = 0;

	for (int k = 0; k < w->n; k++)
		for (const char *p = w->text[w->order[k]]; p && *p;) {
			const char *nl = strchr(p, '\n');
			size_t l = nl ? (size_t)(nl - p) : strlen(p);
			int seen = strncmp(p, "#include <", 10) != 0; /* not one: skip it */

			for (int i = 0; i < n && !seen; i++)
				seen = len[i] == l && !memcmp(line[i], p, l);
			if (!seen) {
				fprintf(f, "%.*s\n", (int)l, p);
				if (n < 256) {
					line[n] = p;
					len[n++] = l;
				}
			}
			p = nl ? nl + 1 : NULL;
		}
}

/* Header i after every header it includes. */
static void print_headers_of(FILE *f, struct walk *w, unsigned i)
{
	const char *pos = w->text[i], *name;
	size_t len;

	if (w->done[i])
		return;
	w->done[i] = 1;
	while ((name = next_include(w->text[i], &pos, &len))) {
		int h = header_index(name, len);

		if (h >= 0)
			print_headers_of(f, w, (unsigned)h);
	}
	if (is_header(i))
		print_file(f, w, i);
}

int amalg_write(FILE *out, const char *const *roots, int nroots, const char *const *config,
		char *missing, size_t cap)
{
	struct walk w = {.config = config, .missing = missing, .cap = cap};
	int err = ENOMEM, *root_idx = calloc((size_t)nroots + 1, sizeof(int));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	w.in = calloc(amalg_nsources, 1);
	w.done = calloc(amalg_nsources, 1);
	w.order = calloc(amalg_nsources, sizeof(int));
	w.text = calloc(amalg_nsources, sizeof(char *));
	if (!w.in || !w.done || !w.order || !w.text || !root_idx || !f)
		goto out;
	for (int r = 0; r < nroots; r++) {
		const struct amalg_source *s = amalg_find(roots[r]);

		if (!s) {
			snprintf(missing, cap, "%s", roots[r]);
			err = ENOENT;
			goto out;
		}
		root_idx[r] = (int)(s - amalg_sources);
		if ((err = add(&w, root_idx[r])))
			goto out;
	}
	if ((err = close_over(&w)))
		goto out;
	/*
	 * The system headers first, once each, before any file's macros are
	 * saved and restored: one a .c reads first must not be left defined
	 * only inside it.
	 */
	system_includes(f, &w);
	/* Declarations first: every header, after the ones it includes. */
	for (int k = 0; k < w.n; k++)
		print_headers_of(f, &w, (unsigned)w.order[k]);
	/* The first root right after them, the last at the end, the rest between. */
	print_file(f, &w, (unsigned)root_idx[0]);
	for (int k = 0; k < w.n; k++) {
		int i = w.order[k], root = 0;

		for (int r = 0; r < nroots; r++)
			root |= root_idx[r] == i;
		if (!root && !is_header((unsigned)i))
			print_file(f, &w, (unsigned)i);
	}
	for (int r = 1; r < nroots; r++)
		print_file(f, &w, (unsigned)root_idx[r]);
	/* What nothing reached stays out. */
	err = fflush(f) ? ENOMEM : prune(out, text);
out:
	if (f)
		fclose(f);
	free(text);
	free(w.in);
	free(w.done);
	free(w.order);
	for (unsigned i = 0; w.text && i < amalg_nsources; i++)
		free(w.text[i]);
	free(w.text);
	free(root_idx);
	return err;
}
