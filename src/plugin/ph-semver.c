/* ph-semver.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-semver.h"

/* Plugin authors write ranges the way npm does, so a range must mean here
 * exactly what it means to node-semver (strict mode).  Ranges are therefore
 * desugared the same way node-semver does it: textual rewrites of hyphen
 * ranges, carets, tildes and X-ranges into primitive comparators, which are
 * then parsed strictly.  The rewrites use PCRE patterns with the same
 * structure and the same bounded repetitions, so corner cases (odd spacing,
 * "==1.2", "1.x.3") fail or succeed as they do in node.  Versions are parsed
 * by hand so errors can say what is wrong where. */

#define MAX_VERSION_LENGTH 256
#define MAX_SAFE_INTEGER G_GUINT64_CONSTANT (9007199254740991)

G_DEFINE_QUARK (ph-semver-error-quark, ph_semver_error)

/* Regular expression building blocks, bounded like node-semver's safe
 * variants. */
#define R_NUM      "0|[1-9]\\d{0,256}"
#define R_NONNUM   "\\d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}"
#define R_PREID    "(?:" R_NONNUM "|" R_NUM ")"
#define R_PRE      "(?:-(" R_PREID "(?:\\." R_PREID ")*))"
#define R_BUILDID  "[a-zA-Z0-9-]{1,250}"
#define R_BUILD    "(?:\\+(" R_BUILDID "(?:\\." R_BUILDID ")*))"
#define R_MAINL    "(\\d{1,256})\\.(\\d{1,256})\\.(\\d{1,256})"
#define R_PREIDL   "(?:" R_NONNUM "|\\d{1,256})"
#define R_PREL     "(?:-?(" R_PREIDL "(?:\\." R_PREIDL ")*))"
#define R_LOOSE    "[v=\\s]*" R_MAINL R_PREL "?" R_BUILD "?"
#define R_GTLT     "((?:<|>)?=?)"
#define R_XID      "0|[1-9]\\d{0,256}|x|X|\\*"
#define R_XPLAIN   "[v=\\s]*(" R_XID ")(?:\\.(" R_XID ")(?:\\.(" R_XID ")(?:" R_PRE ")?" R_BUILD "?)?)?"

enum {
  RE_BUILD_ALL,
  RE_HYPHEN,
  RE_COMPARATOR_TRIM,
  RE_TILDE_TRIM,
  RE_CARET_TRIM,
  RE_CARET,
  RE_TILDE,
  RE_XRANGE,
  RE_STAR,
  RE_GTE0,
  RE_GTE0_PRE,
  N_RES
};

static const char *re_sources[N_RES] = {
  [RE_BUILD_ALL] = "(?:\\+([a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*))",
  [RE_HYPHEN] = "^\\s{0,1}(" R_XPLAIN ")\\s{1,1}-\\s{1,1}(" R_XPLAIN ")\\s{0,1}$",
  [RE_COMPARATOR_TRIM] = "(\\s{0,1})" R_GTLT "\\s{0,1}(" R_LOOSE "|" R_XPLAIN ")",
  [RE_TILDE_TRIM] = "(\\s{0,1})(?:~>?)\\s{1,1}",
  [RE_CARET_TRIM] = "(\\s{0,1})\\^\\s{1,1}",
  [RE_CARET] = "^\\^" R_XPLAIN "$",
  [RE_TILDE] = "^(?:~>?)" R_XPLAIN "$",
  [RE_XRANGE] = "^" R_GTLT "\\s{0,1}" R_XPLAIN "$",
  [RE_STAR] = "(<|>)?=?\\s{0,1}\\*",
  [RE_GTE0] = "^\\s{0,1}>=\\s{0,1}0\\.0\\.0\\s{0,1}$",
  [RE_GTE0_PRE] = "^\\s{0,1}>=\\s{0,1}0\\.0\\.0-0\\s{0,1}$",
};

static GRegex *
get_re (guint which)
{
  static GRegex *res[N_RES];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < N_RES; i++)
        {
          g_autoptr(GError) error = NULL;

          /* JavaScript's "$" matches only at the very end. */
          res[i] = g_regex_new (re_sources[i], G_REGEX_DOLLAR_ENDONLY | G_REGEX_OPTIMIZE, 0, &error);
          if (res[i] == NULL)
            g_error ("semver pattern %u does not compile: %s", i, error->message);
        }
      g_once_init_leave (&initialized, 1);
    }

  return res[which];
}

/* ASCII whitespace as JavaScript's \s sees it for the characters ranges
 * realistically contain. */
static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static char *
strip_spaces (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (start < end && is_space (*start))
    start++;
  while (end > start && is_space (end[-1]))
    end--;

  return g_strndup (start, end - start);
}

/* Splits on runs of whitespace like JavaScript's split(/\s+/), including
 * the empty strings at the edges. */
static GPtrArray *
split_spaces (const char *text)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;
  const char *start = text;

  while (*p)
    {
      if (is_space (*p))
        {
          g_ptr_array_add (parts, g_strndup (start, p - start));
          while (*p && is_space (*p))
            p++;
          start = p;
        }
      else
        p++;
    }
  g_ptr_array_add (parts, g_strndup (start, p - start));

  return parts;
}

static char *
join_parts (GPtrArray *parts)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < parts->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, g_ptr_array_index (parts, i));
    }

  return g_string_free (out, FALSE);
}

static char *
fetch (GMatchInfo *info,
       int         group)
{
  char *s = g_match_info_fetch (info, group);

  return s != NULL ? s : g_strdup ("");
}

static gboolean
is_x (const char *id)
{
  return id == NULL || *id == '\0' || g_ascii_strcasecmp (id, "x") == 0 || strcmp (id, "*") == 0;
}

/* "+M + 1" of the JavaScript original.  Numbers past the safe integer range
 * cannot form a valid version anyway: produce one that fails to parse. */
static char *
plus_one (const char *number)
{
  guint64 value;

  if (strlen (number) > 16 || !g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT64, &value, NULL))
    return g_strdup ("9007199254740993");

  return g_strdup_printf ("%" G_GUINT64_FORMAT, value + 1);
}

typedef char *(*ReplaceFunc) (GMatchInfo *info, gboolean include_prerelease);

/* JavaScript's String.replace: the first match only, or all of them. */
static char *
replace (guint        which,
         const char  *text,
         gboolean     all,
         ReplaceFunc  func,
         gboolean     include_prerelease)
{
  g_autoptr(GMatchInfo) info = NULL;
  GString *out = g_string_new (NULL);
  int last_end = 0;
  int len = strlen (text);

  g_regex_match (get_re (which), text, 0, &info);
  while (g_match_info_matches (info))
    {
      g_autofree char *replacement = NULL;
      int start, end;

      g_match_info_fetch_pos (info, 0, &start, &end);
      replacement = func (info, include_prerelease);
      g_string_append_len (out, text + last_end, start - last_end);
      g_string_append (out, replacement);
      last_end = end;

      if (!all)
        break;
      if (end == start)
        {
          /* An empty match: copy one character and move past it. */
          if (end < len)
            g_string_append_c (out, text[end]);
          last_end = end + 1;
          if (end >= len)
            break;
          g_match_info_free (g_steal_pointer (&info));
          g_regex_match_full (get_re (which), text, -1, end + 1, 0, &info, NULL);
          continue;
        }
      g_match_info_next (info, NULL);
    }

  if (last_end < len)
    g_string_append (out, text + last_end);

  return g_string_free (out, FALSE);
}

static char *
replace_empty (GMatchInfo *info,
               gboolean    include_prerelease)
{
  return g_strdup ("");
}

static char *
replace_comparator_trim (GMatchInfo *info,
                         gboolean    include_prerelease)
{
  g_autofree char *a = fetch (info, 1);
  g_autofree char *b = fetch (info, 2);
  g_autofree char *c = fetch (info, 3);

  return g_strconcat (a, b, c, NULL);
}

static char *
replace_tilde_trim (GMatchInfo *info,
                    gboolean    include_prerelease)
{
  g_autofree char *a = fetch (info, 1);

  return g_strconcat (a, "~", NULL);
}

static char *
replace_caret_trim (GMatchInfo *info,
                    gboolean    include_prerelease)
{
  g_autofree char *a = fetch (info, 1);

  return g_strconcat (a, "^", NULL);
}

static char *
replace_hyphen (GMatchInfo *info,
                gboolean    include_prerelease)
{
  g_autofree char *from = fetch (info, 1);
  g_autofree char *fM = fetch (info, 2);
  g_autofree char *fm = fetch (info, 3);
  g_autofree char *fp = fetch (info, 4);
  g_autofree char *fpr = fetch (info, 5);
  g_autofree char *to = fetch (info, 7);
  g_autofree char *tM = fetch (info, 8);
  g_autofree char *tm = fetch (info, 9);
  g_autofree char *tp = fetch (info, 10);
  g_autofree char *tpr = fetch (info, 11);
  const char *z = include_prerelease ? "-0" : "";
  g_autofree char *lower = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *both = NULL;

  if (is_x (fM))
    lower = g_strdup ("");
  else if (is_x (fm))
    lower = g_strdup_printf (">=%s.0.0%s", fM, z);
  else if (is_x (fp))
    lower = g_strdup_printf (">=%s.%s.0%s", fM, fm, z);
  else if (*fpr)
    lower = g_strdup_printf (">=%s", from);
  else
    lower = g_strdup_printf (">=%s%s", from, z);

  if (is_x (tM))
    upper = g_strdup ("");
  else if (is_x (tm))
    {
      g_autofree char *next = plus_one (tM);
      upper = g_strdup_printf ("<%s.0.0-0", next);
    }
  else if (is_x (tp))
    {
      g_autofree char *next = plus_one (tm);
      upper = g_strdup_printf ("<%s.%s.0-0", tM, next);
    }
  else if (*tpr)
    upper = g_strdup_printf ("<=%s.%s.%s-%s", tM, tm, tp, tpr);
  else if (include_prerelease)
    {
      g_autofree char *next = plus_one (tp);
      upper = g_strdup_printf ("<%s.%s.%s-0", tM, tm, next);
    }
  else
    upper = g_strdup_printf ("<=%s", to);

  both = g_strdup_printf ("%s %s", lower, upper);
  return strip_spaces (both);
}

/* Carets and tildes share their shape: M, m, p and prerelease groups. */
static char *
replace_caret (GMatchInfo *info,
               gboolean    include_prerelease)
{
  g_autofree char *M = fetch (info, 1);
  g_autofree char *m = fetch (info, 2);
  g_autofree char *p = fetch (info, 3);
  g_autofree char *pr = fetch (info, 4);
  const char *z = include_prerelease ? "-0" : "";

  if (is_x (M))
    return g_strdup ("");

  if (is_x (m))
    {
      g_autofree char *nM = plus_one (M);
      return g_strdup_printf (">=%s.0.0%s <%s.0.0-0", M, z, nM);
    }

  if (is_x (p))
    {
      if (strcmp (M, "0") == 0)
        {
          g_autofree char *nm = plus_one (m);
          return g_strdup_printf (">=%s.%s.0%s <%s.%s.0-0", M, m, z, M, nm);
        }
      else
        {
          g_autofree char *nM = plus_one (M);
          return g_strdup_printf (">=%s.%s.0%s <%s.0.0-0", M, m, z, nM);
        }
    }

  {
    g_autofree char *lower = *pr ? g_strdup_printf (">=%s.%s.%s-%s", M, m, p, pr)
                                 : g_strdup_printf (">=%s.%s.%s", M, m, p);

    if (strcmp (M, "0") == 0 && strcmp (m, "0") == 0)
      {
        g_autofree char *np = plus_one (p);
        return g_strdup_printf ("%s <%s.%s.%s-0", lower, M, m, np);
      }
    else if (strcmp (M, "0") == 0)
      {
        g_autofree char *nm = plus_one (m);
        return g_strdup_printf ("%s <%s.%s.0-0", lower, M, nm);
      }
    else
      {
        g_autofree char *nM = plus_one (M);
        return g_strdup_printf ("%s <%s.0.0-0", lower, nM);
      }
  }
}

static char *
replace_tilde (GMatchInfo *info,
               gboolean    include_prerelease)
{
  g_autofree char *M = fetch (info, 1);
  g_autofree char *m = fetch (info, 2);
  g_autofree char *p = fetch (info, 3);
  g_autofree char *pr = fetch (info, 4);
  const char *z = include_prerelease ? "-0" : "";

  if (is_x (M))
    return g_strdup ("");

  if (is_x (m))
    {
      g_autofree char *nM = plus_one (M);
      return g_strdup_printf (">=%s.0.0%s <%s.0.0-0", M, z, nM);
    }

  {
    g_autofree char *nm = plus_one (m);

    if (is_x (p))
      return g_strdup_printf (">=%s.%s.0%s <%s.%s.0-0", M, m, z, M, nm);
    if (*pr)
      return g_strdup_printf (">=%s.%s.%s-%s <%s.%s.0-0", M, m, p, pr, M, nm);
    return g_strdup_printf (">=%s.%s.%s <%s.%s.0-0", M, m, p, M, nm);
  }
}

static char *
replace_xrange (GMatchInfo *info,
                gboolean    include_prerelease)
{
  g_autofree char *whole = fetch (info, 0);
  g_autofree char *gtlt = fetch (info, 1);
  g_autofree char *M = fetch (info, 2);
  g_autofree char *m = fetch (info, 3);
  g_autofree char *p = fetch (info, 4);
  const char *pr = include_prerelease ? "-0" : "";
  gboolean xM, xm, xp;

  /* "*.1" or "1.x.2" are not X-ranges: leave them to fail as comparators. */
  if ((is_x (M) && !is_x (m)) || (is_x (m) && *p && !is_x (p)))
    return g_steal_pointer (&whole);

  xM = is_x (M);
  xm = xM || is_x (m);
  xp = xm || is_x (p);

  if (strcmp (gtlt, "=") == 0 && xp)
    gtlt[0] = '\0';

  if (xM)
    {
      if (strcmp (gtlt, ">") == 0 || strcmp (gtlt, "<") == 0)
        return g_strdup ("<0.0.0-0");
      return g_strdup ("*");
    }

  if (*gtlt && xp)
    {
      g_autofree char *major = g_strdup (M);
      g_autofree char *minor = g_strdup (xm ? "0" : m);
      const char *op = gtlt;

      if (strcmp (gtlt, ">") == 0)
        {
          op = ">=";
          if (xm)
            {
              g_free (major);
              major = plus_one (M);
              g_free (minor);
              minor = g_strdup ("0");
            }
          else
            {
              g_free (minor);
              minor = plus_one (m);
            }
        }
      else if (strcmp (gtlt, "<=") == 0)
        {
          op = "<";
          if (xm)
            {
              g_free (major);
              major = plus_one (M);
            }
          else
            {
              g_free (minor);
              minor = plus_one (m);
            }
        }

      if (strcmp (op, "<") == 0)
        pr = "-0";

      return g_strdup_printf ("%s%s.%s.0%s", op, major, minor, pr);
    }

  if (xm)
    {
      g_autofree char *nM = plus_one (M);
      return g_strdup_printf (">=%s.0.0%s <%s.0.0-0", M, pr, nM);
    }

  if (xp)
    {
      g_autofree char *nm = plus_one (m);
      return g_strdup_printf (">=%s.%s.0%s <%s.%s.0-0", M, m, pr, M, nm);
    }

  return g_steal_pointer (&whole);
}

/* Applies @which to every whitespace-separated word of @text. */
static char *
replace_words (guint        which,
               const char  *text,
               gboolean     trim_first,
               ReplaceFunc  func,
               gboolean     include_prerelease)
{
  g_autofree char *trimmed = trim_first ? strip_spaces (text) : g_strdup (text);
  g_autoptr(GPtrArray) words = split_spaces (trimmed);

  for (guint i = 0; i < words->len; i++)
    {
      g_autofree char *word = trim_first ? g_strdup (g_ptr_array_index (words, i))
                                         : strip_spaces (g_ptr_array_index (words, i));
      char *replaced = replace (which, word, FALSE, func, include_prerelease);

      g_free (words->pdata[i]);
      words->pdata[i] = replaced;
    }

  return join_parts (words);
}

/* Versions */

static gboolean
version_error (GError     **error,
               const char  *text,
               gsize        offset,
               const char  *what)
{
  g_set_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_VERSION,
               "Invalid version “%s”: %s at offset %" G_GSIZE_FORMAT,
               text, what, offset);
  return FALSE;
}

static gboolean
parse_number (const char  *text,
              const char **p,
              const char  *part,
              guint64     *out,
              GError     **error)
{
  const char *start = *p;
  g_autofree char *digits = NULL;
  g_autofree char *what = NULL;

  while (g_ascii_isdigit (**p))
    (*p)++;

  if (*p == start)
    {
      what = g_strdup_printf ("expected a number for the %s", part);
      return version_error (error, text, start - text, what);
    }
  if (*start == '0' && *p - start > 1)
    {
      what = g_strdup_printf ("the %s has a leading zero", part);
      return version_error (error, text, start - text, what);
    }

  digits = g_strndup (start, *p - start);
  if (*p - start > 16 ||
      !g_ascii_string_to_unsigned (digits, 10, 0, MAX_SAFE_INTEGER, out, NULL))
    {
      what = g_strdup_printf ("the %s is larger than %" G_GUINT64_FORMAT, part, MAX_SAFE_INTEGER);
      return version_error (error, text, start - text, what);
    }

  return TRUE;
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '-';
}

static gboolean
parse_identifiers (const char   *text,
                   const char  **p,
                   gboolean      prerelease,
                   char       ***out,
                   GError      **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *what = prerelease ? "prerelease" : "build metadata";

  for (;;)
    {
      const char *start = *p;
      gboolean all_digits = TRUE;

      while (is_ident_char (**p))
        {
          if (!g_ascii_isdigit (**p))
            all_digits = FALSE;
          (*p)++;
        }

      if (*p == start)
        {
          g_autofree char *msg = g_strdup_printf ("empty %s identifier", what);
          return version_error (error, text, start - text, msg);
        }
      if (prerelease && all_digits && *start == '0' && *p - start > 1)
        return version_error (error, text, start - text,
                              "numeric prerelease identifier has a leading zero");

      g_ptr_array_add (ids, g_strndup (start, *p - start));

      if (**p != '.')
        break;
      (*p)++;
    }

  g_ptr_array_add (ids, NULL);
  *out = (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  return TRUE;
}

PhSemver *
ph_semver_parse (const char  *text,
                 GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(PhSemver) self = NULL;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (text) > MAX_VERSION_LENGTH)
    {
      g_set_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_VERSION,
                   "Invalid version: longer than %d characters", MAX_VERSION_LENGTH);
      return NULL;
    }

  trimmed = strip_spaces (text);
  p = trimmed;
  self = g_new0 (PhSemver, 1);

  if (*p == '\0')
    {
      version_error (error, trimmed, 0, "the version is empty");
      return NULL;
    }

  if (*p == 'v')
    p++;

  if (!parse_number (trimmed, &p, "major version", &self->major, error))
    return NULL;
  if (*p != '.')
    {
      version_error (error, trimmed, p - trimmed, "expected “.” before the minor version");
      return NULL;
    }
  p++;
  if (!parse_number (trimmed, &p, "minor version", &self->minor, error))
    return NULL;
  if (*p != '.')
    {
      version_error (error, trimmed, p - trimmed, "expected “.” before the patch version");
      return NULL;
    }
  p++;
  if (!parse_number (trimmed, &p, "patch version", &self->patch, error))
    return NULL;

  if (*p == '-')
    {
      p++;
      if (!parse_identifiers (trimmed, &p, TRUE, &self->prerelease, error))
        return NULL;
    }
  else
    self->prerelease = g_new0 (char *, 1);

  if (*p == '+')
    {
      p++;
      if (!parse_identifiers (trimmed, &p, FALSE, &self->build, error))
        return NULL;
    }
  else
    self->build = g_new0 (char *, 1);

  if (*p != '\0')
    {
      g_autofree char *msg = g_strdup_printf ("unexpected character “%c”", *p);
      version_error (error, trimmed, p - trimmed, msg);
      return NULL;
    }

  return g_steal_pointer (&self);
}

PhSemver *
ph_semver_copy (const PhSemver *self)
{
  PhSemver *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (PhSemver, 1);
  copy->major = self->major;
  copy->minor = self->minor;
  copy->patch = self->patch;
  copy->prerelease = g_strdupv (self->prerelease);
  copy->build = g_strdupv (self->build);

  return copy;
}

void
ph_semver_free (PhSemver *self)
{
  if (self == NULL)
    return;

  g_strfreev (self->prerelease);
  g_strfreev (self->build);
  g_free (self);
}

static gboolean
is_numeric_id (const char *id)
{
  if (*id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static int
compare_numeric_strings (const char *a,
                         const char *b)
{
  gsize la, lb;

  /* Skip leading zeros so length decides magnitude. */
  while (*a == '0' && a[1] != '\0')
    a++;
  while (*b == '0' && b[1] != '\0')
    b++;
  la = strlen (a);
  lb = strlen (b);
  if (la != lb)
    return la < lb ? -1 : 1;

  return CLAMP (strcmp (a, b), -1, 1);
}

static int
compare_identifiers (const char *a,
                     const char *b)
{
  gboolean anum = is_numeric_id (a);
  gboolean bnum = is_numeric_id (b);

  if (anum && bnum)
    return compare_numeric_strings (a, b);
  if (anum)
    return -1;
  if (bnum)
    return 1;

  return CLAMP (strcmp (a, b), -1, 1);
}

int
ph_semver_version_compare (const PhSemver *a,
                           const PhSemver *b)
{
  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  if (a->major != b->major)
    return a->major < b->major ? -1 : 1;
  if (a->minor != b->minor)
    return a->minor < b->minor ? -1 : 1;
  if (a->patch != b->patch)
    return a->patch < b->patch ? -1 : 1;

  /* A version without a prerelease ranks above one with. */
  if (a->prerelease[0] != NULL && b->prerelease[0] == NULL)
    return -1;
  if (a->prerelease[0] == NULL && b->prerelease[0] != NULL)
    return 1;

  for (guint i = 0; ; i++)
    {
      int r;

      if (a->prerelease[i] == NULL && b->prerelease[i] == NULL)
        return 0;
      if (b->prerelease[i] == NULL)
        return 1;
      if (a->prerelease[i] == NULL)
        return -1;

      r = compare_identifiers (a->prerelease[i], b->prerelease[i]);
      if (r != 0)
        return r;
    }
}

char *
ph_semver_to_string (const PhSemver *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT,
                          self->major, self->minor, self->patch);
  if (self->prerelease[0] != NULL)
    {
      g_autofree char *pre = g_strjoinv (".", self->prerelease);
      g_string_append_printf (out, "-%s", pre);
    }

  return g_string_free (out, FALSE);
}

gboolean
ph_semver_valid (const char *version)
{
  g_autoptr(PhSemver) parsed = NULL;

  g_return_val_if_fail (version != NULL, FALSE);

  parsed = ph_semver_parse (version, NULL);
  return parsed != NULL;
}

/* Ranges */

typedef enum {
  OP_EQ,
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
} Op;

typedef struct {
  Op        op;
  PhSemver *version;  /* NULL: matches anything */
  char     *value;    /* canonical text, the identity node-semver dedups on */
} Comparator;

struct _PhSemverRange {
  GPtrArray *sets;    /* of GPtrArray of Comparator */
  gboolean   include_prerelease;
};

static void
comparator_free (Comparator *c)
{
  ph_semver_free (c->version);
  g_free (c->value);
  g_free (c);
}

static const char *
op_to_string (Op op)
{
  switch (op)
    {
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_EQ:
    default:
      return "";
    }
}

static Comparator *
comparator_parse (const char  *text,
                  GError     **error)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *trimmed = strip_spaces (text);
  g_autofree char *collapsed = NULL;
  g_autoptr(GError) local_error = NULL;
  Comparator *c;
  const char *p;
  Op op = OP_EQ;

  words = split_spaces (trimmed);
  collapsed = join_parts (words);
  p = collapsed;

  c = g_new0 (Comparator, 1);
  if (*p == '\0')
    {
      c->value = g_strdup ("");
      return c;
    }

  if (*p == '<' || *p == '>')
    {
      gboolean less = *p == '<';

      p++;
      if (*p == '=')
        {
          p++;
          op = less ? OP_LE : OP_GE;
        }
      else
        op = less ? OP_LT : OP_GT;
    }
  else if (*p == '=')
    p++;

  if (is_space (*p))
    p++;

  /* The version must be the rest, with no spaces of its own. */
  if (*p == '\0' || is_space (*p) || is_space (p[strlen (p) - 1]) ||
      (c->version = ph_semver_parse (p, &local_error)) == NULL)
    {
      g_set_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_RANGE,
                   "invalid comparator “%s”%s%s", collapsed,
                   local_error ? ": " : ": expected a version after the operator",
                   local_error ? local_error->message : "");
      comparator_free (c);
      return NULL;
    }

  c->op = op;
  {
    g_autofree char *version = ph_semver_to_string (c->version);
    c->value = g_strconcat (op_to_string (op), version, NULL);
  }

  return c;
}

static gboolean
comparator_test (const Comparator *c,
                 const PhSemver   *version)
{
  int r;

  if (c->version == NULL)
    return TRUE;

  r = ph_semver_version_compare (version, c->version);
  switch (c->op)
    {
    case OP_LT: return r < 0;
    case OP_LE: return r <= 0;
    case OP_GT: return r > 0;
    case OP_GE: return r >= 0;
    case OP_EQ:
    default:
      return r == 0;
    }
}

static char *
desugar_comparator (const char *word,
                    gboolean    include_prerelease)
{
  g_autofree char *s0 = replace (RE_BUILD_ALL, word, FALSE, replace_empty, include_prerelease);
  g_autofree char *s1 = replace_words (RE_CARET, s0, TRUE, replace_caret, include_prerelease);
  g_autofree char *s2 = replace_words (RE_TILDE, s1, TRUE, replace_tilde, include_prerelease);
  g_autofree char *s3 = replace_words (RE_XRANGE, s2, FALSE, replace_xrange, include_prerelease);
  g_autofree char *s4 = strip_spaces (s3);

  return replace (RE_STAR, s4, FALSE, replace_empty, include_prerelease);
}

static GPtrArray *
parse_set (const char  *text,
           gboolean     include_prerelease,
           GError     **error)
{
  g_autoptr(GPtrArray) comparators = g_ptr_array_new_with_free_func ((GDestroyNotify) comparator_free);
  g_autoptr(GPtrArray) desugared = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *s0 = NULL, *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;
  gboolean has_any = FALSE;

  s0 = replace (RE_BUILD_ALL, text, TRUE, replace_empty, include_prerelease);
  s1 = replace (RE_HYPHEN, s0, FALSE, replace_hyphen, include_prerelease);
  s2 = replace (RE_COMPARATOR_TRIM, s1, TRUE, replace_comparator_trim, include_prerelease);
  s3 = replace (RE_TILDE_TRIM, s2, TRUE, replace_tilde_trim, include_prerelease);
  s4 = replace (RE_CARET_TRIM, s3, TRUE, replace_caret_trim, include_prerelease);

  {
    g_auto(GStrv) split = g_strsplit (s4, " ", -1);
    for (guint i = 0; split[i] != NULL; i++)
      g_ptr_array_add (desugared, desugar_comparator (split[i], include_prerelease));
  }
  joined = join_parts (desugared);
  list = split_spaces (joined);

  for (guint i = 0; i < list->len; i++)
    {
      g_autofree char *trimmed = strip_spaces (g_ptr_array_index (list, i));
      g_autofree char *word = replace (include_prerelease ? RE_GTE0_PRE : RE_GTE0, trimmed, FALSE,
                                       replace_empty, include_prerelease);
      Comparator *c = comparator_parse (word, error);
      gboolean duplicate = FALSE;

      if (c == NULL)
        return NULL;

      /* A set that can match nothing is just that. */
      if (strcmp (c->value, "<0.0.0-0") == 0)
        {
          g_ptr_array_set_size (comparators, 0);
          g_ptr_array_add (comparators, c);
          return g_steal_pointer (&comparators);
        }

      for (guint j = 0; j < comparators->len; j++)
        {
          Comparator *other = g_ptr_array_index (comparators, j);
          if (strcmp (other->value, c->value) == 0)
            {
              duplicate = TRUE;
              break;
            }
        }
      if (duplicate)
        {
          /* Later parses of the same value are identical; keep the first. */
          comparator_free (c);
          continue;
        }
      if (c->version == NULL)
        has_any = TRUE;
      g_ptr_array_add (comparators, c);
    }

  if (has_any && comparators->len > 1)
    {
      for (guint j = 0; j < comparators->len; j++)
        {
          Comparator *c = g_ptr_array_index (comparators, j);
          if (c->version == NULL)
            {
              g_ptr_array_remove_index (comparators, j);
              break;
            }
        }
    }

  return g_steal_pointer (&comparators);
}

static gboolean
set_is_null (GPtrArray *set)
{
  Comparator *c = g_ptr_array_index (set, 0);
  return strcmp (c->value, "<0.0.0-0") == 0;
}

static gboolean
set_is_any (GPtrArray *set)
{
  Comparator *c = g_ptr_array_index (set, 0);
  return set->len == 1 && c->version == NULL;
}

PhSemverRange *
ph_semver_range_parse (const char  *text,
                       gboolean     include_prerelease,
                       GError     **error)
{
  g_autoptr(PhSemverRange) self = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *raw = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = strip_spaces (text);
  words = split_spaces (trimmed);
  raw = join_parts (words);

  self = g_new0 (PhSemverRange, 1);
  self->include_prerelease = include_prerelease;
  self->sets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  /* g_strsplit() returns no parts for "", JavaScript's split one. */
  if (*raw)
    parts = g_strsplit (raw, "||", -1);
  else
    {
      parts = g_new0 (char *, 2);
      parts[0] = g_strdup ("");
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = strip_spaces (parts[i]);
      g_autoptr(GError) local_error = NULL;
      GPtrArray *set = parse_set (part, include_prerelease, &local_error);

      if (set == NULL)
        {
          g_set_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_RANGE,
                       "Invalid range “%s”: in alternative %u (“%s”): %s",
                       raw, i + 1, part, local_error->message);
          return NULL;
        }
      g_ptr_array_add (self->sets, set);
    }

  if (self->sets->len > 1)
    {
      GPtrArray *first = g_ptr_array_ref (g_ptr_array_index (self->sets, 0));

      for (guint i = self->sets->len; i > 0; i--)
        if (set_is_null (g_ptr_array_index (self->sets, i - 1)))
          g_ptr_array_remove_index (self->sets, i - 1);

      if (self->sets->len == 0)
        g_ptr_array_add (self->sets, g_ptr_array_ref (first));
      else if (self->sets->len > 1)
        {
          for (guint i = 0; i < self->sets->len; i++)
            {
              GPtrArray *set = g_ptr_array_index (self->sets, i);

              if (set_is_any (set))
                {
                  g_ptr_array_ref (set);
                  g_ptr_array_set_size (self->sets, 0);
                  g_ptr_array_add (self->sets, set);
                  break;
                }
            }
        }

      g_ptr_array_unref (first);
    }

  return g_steal_pointer (&self);
}

void
ph_semver_range_free (PhSemverRange *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->sets, g_ptr_array_unref);
  g_free (self);
}

static gboolean
set_test (GPtrArray      *set,
          const PhSemver *version,
          gboolean        include_prerelease)
{
  for (guint i = 0; i < set->len; i++)
    if (!comparator_test (g_ptr_array_index (set, i), version))
      return FALSE;

  /* node-semver's prerelease rule: a prerelease only matches when a
   * comparator of the same set opts into prereleases of that exact
   * major.minor.patch, so ^1.2.3 never offers 1.3.0-alpha. */
  if (version->prerelease[0] != NULL && !include_prerelease)
    {
      for (guint i = 0; i < set->len; i++)
        {
          Comparator *c = g_ptr_array_index (set, i);

          if (c->version == NULL || c->version->prerelease[0] == NULL)
            continue;
          if (c->version->major == version->major &&
              c->version->minor == version->minor &&
              c->version->patch == version->patch)
            return TRUE;
        }
      return FALSE;
    }

  return TRUE;
}

gboolean
ph_semver_range_test (const PhSemverRange *self,
                      const PhSemver      *version)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (version != NULL, FALSE);

  for (guint i = 0; i < self->sets->len; i++)
    if (set_test (g_ptr_array_index (self->sets, i), version, self->include_prerelease))
      return TRUE;

  return FALSE;
}

char *
ph_semver_range_to_string (const PhSemverRange *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->sets->len; i++)
    {
      GPtrArray *set = g_ptr_array_index (self->sets, i);

      if (i > 0)
        g_string_append (out, "||");
      for (guint j = 0; j < set->len; j++)
        {
          Comparator *c = g_ptr_array_index (set, j);

          if (j > 0)
            g_string_append_c (out, ' ');
          g_string_append (out, c->value);
        }
    }

  return g_string_free (out, FALSE);
}

gboolean
ph_semver_satisfies (const char *version,
                     const char *range,
                     gboolean    include_prerelease)
{
  g_autoptr(PhSemverRange) parsed_range = NULL;
  g_autoptr(PhSemver) parsed_version = NULL;

  if (version == NULL || range == NULL || *version == '\0')
    return FALSE;

  parsed_range = ph_semver_range_parse (range, include_prerelease, NULL);
  if (parsed_range == NULL)
    return FALSE;

  parsed_version = ph_semver_parse (version, NULL);
  if (parsed_version == NULL)
    return FALSE;

  return ph_semver_range_test (parsed_range, parsed_version);
}

int
ph_semver_compare (const char  *a,
                   const char  *b,
                   GError     **error)
{
  g_autoptr(PhSemver) va = NULL;
  g_autoptr(PhSemver) vb = NULL;

  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  va = ph_semver_parse (a, error);
  if (va == NULL)
    return 0;
  vb = ph_semver_parse (b, error);
  if (vb == NULL)
    return 0;

  return ph_semver_version_compare (va, vb);
}
