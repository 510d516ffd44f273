/* ph-json-scan.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-json-scan.h"

/* Nesting deeper than this is refused rather than followed: Kubernetes
 * objects stay far below it, and it bounds the work on hostile input. */
#define MAX_DEPTH 512

static inline gboolean
fail (PhJsonScan *s)
{
  s->failed = TRUE;
  s->p = s->end;
  return FALSE;
}

static inline void
skip_ws (PhJsonScan *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

void
ph_json_scan_init (PhJsonScan *s,
                   const char *data,
                   gsize       len)
{
  s->p = data;
  s->end = data + len;
  s->failed = FALSE;
}

gboolean
ph_json_scan_failed (PhJsonScan *s)
{
  return s->failed;
}

gboolean
ph_json_scan_at_end (PhJsonScan *s)
{
  skip_ws (s);
  return s->p == s->end;
}

PhJsonType
ph_json_scan_peek (PhJsonScan *s)
{
  if (s->failed)
    return PH_JSON_NONE;

  skip_ws (s);
  if (s->p == s->end)
    return PH_JSON_NONE;

  switch (*s->p)
    {
    case '{': return PH_JSON_OBJECT;
    case '[': return PH_JSON_ARRAY;
    case '"': return PH_JSON_STRING;
    case 't': return PH_JSON_TRUE;
    case 'f': return PH_JSON_FALSE;
    case 'n': return PH_JSON_NULL;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return PH_JSON_NUMBER;
    default:
      return PH_JSON_NONE;
    }
}

gboolean
ph_json_scan_enter_object (PhJsonScan *s)
{
  if (ph_json_scan_peek (s) != PH_JSON_OBJECT)
    return fail (s);
  s->p++;
  return TRUE;
}

gboolean
ph_json_scan_enter_array (PhJsonScan *s)
{
  if (ph_json_scan_peek (s) != PH_JSON_ARRAY)
    return fail (s);
  s->p++;
  return TRUE;
}

/* Positioned on the opening quote; leaves the scanner after the closing
 * one.  Returns the raw contents and, if @has_escapes is set, whether
 * they hold escapes (skipping does not need to know, which saves a pass
 * over every string). */
static gboolean
scan_raw_string (PhJsonScan  *s,
                 const char **start,
                 gsize       *len,
                 gboolean    *has_escapes)
{
  const char *first = s->p + 1;
  const char *p = first;
  gboolean esc = FALSE;

  for (;;)
    {
      const char *q = memchr (p, '"', s->end - p);
      const char *b;
      gsize n = 0;

      if (q == NULL)
        return fail (s);

      /* The quote ends the string unless an odd run of backslashes
       * precedes it. */
      for (b = q; b > first && b[-1] == '\\'; b--)
        n++;
      if (n > 0)
        esc = TRUE;
      if (n % 2 == 1)
        {
          p = q + 1;
          continue;
        }

      if (has_escapes != NULL)
        *has_escapes = esc || memchr (first, '\\', q - first) != NULL;
      *start = first;
      *len = q - first;
      s->p = q + 1;
      return TRUE;
    }
}

gboolean
ph_json_scan_next_member (PhJsonScan  *s,
                          const char **key,
                          gsize       *key_len)
{
  if (s->failed)
    return FALSE;

  skip_ws (s);
  if (s->p == s->end)
    return fail (s);
  if (*s->p == '}')
    {
      s->p++;
      return FALSE;
    }
  /* Lenient about a leading comma; strict about everything else. */
  if (*s->p == ',')
    {
      s->p++;
      skip_ws (s);
    }
  if (s->p == s->end || *s->p != '"')
    return fail (s);
  if (!scan_raw_string (s, key, key_len, NULL))
    return FALSE;
  skip_ws (s);
  if (s->p == s->end || *s->p != ':')
    return fail (s);
  s->p++;
  skip_ws (s);
  if (s->p == s->end)
    return fail (s);
  return TRUE;
}

gboolean
ph_json_scan_next_element (PhJsonScan *s)
{
  if (s->failed)
    return FALSE;

  skip_ws (s);
  if (s->p == s->end)
    return fail (s);
  if (*s->p == ']')
    {
      s->p++;
      return FALSE;
    }
  if (*s->p == ',')
    {
      s->p++;
      skip_ws (s);
    }
  if (s->p == s->end || *s->p == ']' || *s->p == ',')
    return fail (s);
  return TRUE;
}

static gboolean
skip_literal (PhJsonScan *s,
              const char *lit,
              gsize       len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, lit, len) != 0)
    return fail (s);
  s->p += len;
  return TRUE;
}

static gboolean
skip_number (PhJsonScan *s)
{
  const char *start = s->p;

  while (s->p < s->end)
    {
      char c = *s->p;

      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
          c == 'e' || c == 'E')
        s->p++;
      else
        break;
    }
  if (s->p == start)
    return fail (s);
  return TRUE;
}

/* Skips a container by counting brackets outside strings; the inner
 * structure is not validated, which is all a skip needs. */
static gboolean
skip_container (PhJsonScan *s)
{
  const char *p = s->p;
  const char *end = s->end;
  guint depth = 0;

  while (p < end)
    {
      char c = *p;

      switch (c)
        {
        case '"':
          {
            const char *start;
            gsize len;

            s->p = p;
            if (!scan_raw_string (s, &start, &len, NULL))
              return FALSE;
            p = s->p;
          }
          continue;

        case '{':
        case '[':
          if (++depth > MAX_DEPTH)
            return fail (s);
          break;

        case '}':
        case ']':
          if (depth == 0)
            return fail (s);
          if (--depth == 0)
            {
              s->p = p + 1;
              return TRUE;
            }
          break;

        default:
          break;
        }
      p++;
    }

  return fail (s);
}

gboolean
ph_json_scan_skip (PhJsonScan *s)
{
  const char *start;
  gsize len;

  switch (ph_json_scan_peek (s))
    {
    case PH_JSON_OBJECT:
    case PH_JSON_ARRAY:
      return skip_container (s);
    case PH_JSON_STRING:
      return scan_raw_string (s, &start, &len, NULL);
    case PH_JSON_NUMBER:
      return skip_number (s);
    case PH_JSON_TRUE:
      return skip_literal (s, "true", 4);
    case PH_JSON_FALSE:
      return skip_literal (s, "false", 5);
    case PH_JSON_NULL:
      return skip_literal (s, "null", 4);
    case PH_JSON_NONE:
    default:
      return fail (s);
    }
}

gboolean
ph_json_scan_span (PhJsonScan  *s,
                   const char **start,
                   gsize       *len)
{
  const char *begin;

  if (ph_json_scan_peek (s) == PH_JSON_NONE)
    return fail (s);
  begin = s->p;
  if (!ph_json_scan_skip (s))
    return FALSE;
  *start = begin;
  *len = s->p - begin;
  return TRUE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *out)
{
  gunichar v = 0;

  if (end - p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        return FALSE;
      v = (v << 4) | (gunichar) h;
    }
  *out = v;
  return TRUE;
}

static gboolean
decode_escapes (const char *p,
                gsize       len,
                GString    *out)
{
  const char *end = p + len;

  while (p < end)
    {
      const char *bs = memchr (p, '\\', end - p);

      if (bs == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, bs - p);
      p = bs + 1;
      if (p == end)
        return FALSE;

      switch (*p)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c;

            if (!read_hex4 (p + 1, end, &c))
              return FALSE;
            p += 4;
            if (c >= 0xd800 && c < 0xdc00)
              {
                gunichar lo;

                if (end - p < 7 || p[1] != '\\' || p[2] != 'u' ||
                    !read_hex4 (p + 3, end, &lo) || lo < 0xdc00 || lo > 0xdfff)
                  c = 0xfffd;
                else
                  {
                    c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                    p += 6;
                  }
              }
            else if (c >= 0xdc00 && c < 0xe000)
              c = 0xfffd;
            if (c == 0)
              c = 0xfffd; /* keep C strings whole */
            g_string_append_unichar (out, c);
          }
          break;
        default:
          return FALSE;
        }
      p++;
    }

  return TRUE;
}

gboolean
ph_json_scan_read_string (PhJsonScan *s,
                          GString    *out)
{
  const char *start;
  gsize len;
  gboolean esc;

  switch (ph_json_scan_peek (s))
    {
    case PH_JSON_NULL:
      return skip_literal (s, "null", 4);
    case PH_JSON_STRING:
      break;
    default:
      return fail (s);
    }

  if (!scan_raw_string (s, &start, &len, &esc))
    return FALSE;
  if (!esc)
    {
      g_string_append_len (out, start, len);
      return TRUE;
    }
  if (!decode_escapes (start, len, out))
    return fail (s);
  return TRUE;
}

char *
ph_json_scan_dup_string (PhJsonScan *s)
{
  GString *str;

  if (ph_json_scan_peek (s) == PH_JSON_NULL)
    {
      skip_literal (s, "null", 4);
      return NULL;
    }
  str = g_string_new (NULL);
  if (!ph_json_scan_read_string (s, str))
    {
      g_string_free (str, TRUE);
      return NULL;
    }
  return g_string_free (str, FALSE);
}

gboolean
ph_json_scan_read_int (PhJsonScan *s,
                       gint64     *out)
{
  gint64 v = 0;
  gboolean neg = FALSE;
  const char *digits;

  switch (ph_json_scan_peek (s))
    {
    case PH_JSON_NULL:
      *out = 0;
      return skip_literal (s, "null", 4);
    case PH_JSON_NUMBER:
      break;
    default:
      return fail (s);
    }

  if (*s->p == '-')
    {
      neg = TRUE;
      s->p++;
    }
  digits = s->p;
  while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
    {
      int digit = *s->p - '0';

      if (v > (G_MAXINT64 - digit) / 10)
        return fail (s);
      v = v * 10 + digit;
      s->p++;
    }
  if (s->p == digits)
    return fail (s);
  /* A fraction or exponent: not an integer, but still valid JSON to pass. */
  if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
    {
      if (!skip_number (s))
        return FALSE;
    }
  *out = neg ? -v : v;
  return TRUE;
}

gboolean
ph_json_scan_read_bool (PhJsonScan *s,
                        gboolean   *out)
{
  switch (ph_json_scan_peek (s))
    {
    case PH_JSON_TRUE:
      *out = TRUE;
      return skip_literal (s, "true", 4);
    case PH_JSON_FALSE:
      *out = FALSE;
      return skip_literal (s, "false", 5);
    case PH_JSON_NULL:
      *out = FALSE;
      return skip_literal (s, "null", 4);
    default:
      return fail (s);
    }
}
