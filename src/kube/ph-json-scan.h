/* ph-json-scan.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A forward-only JSON scanner over a byte range.  It builds no tree: the
 * caller walks objects and arrays member by member, reads the few values
 * it wants and skips the rest.  Every read is bounds-checked; on malformed
 * input the scanner latches into a failed state and every further call
 * returns FALSE, so extraction code needs no error checks in its loops,
 * only one look at ph_json_scan_failed() at the end. */

typedef enum {
  PH_JSON_NONE,   /* end of input or failed */
  PH_JSON_OBJECT,
  PH_JSON_ARRAY,
  PH_JSON_STRING,
  PH_JSON_NUMBER,
  PH_JSON_TRUE,
  PH_JSON_FALSE,
  PH_JSON_NULL,
} PhJsonType;

typedef struct {
  const char *p;
  const char *end;
  gboolean    failed;
} PhJsonScan;

void        ph_json_scan_init          (PhJsonScan  *s,
                                        const char  *data,
                                        gsize        len);
gboolean    ph_json_scan_failed        (PhJsonScan  *s);
/* Skips white space and tells what the next value is. */
PhJsonType  ph_json_scan_peek          (PhJsonScan  *s);
/* TRUE when only white space remains. */
gboolean    ph_json_scan_at_end        (PhJsonScan  *s);

/* Consumes '{'.  FALSE (and failed) if the next value is no object. */
gboolean    ph_json_scan_enter_object  (PhJsonScan  *s);
/* Moves to the next member of the current object: returns TRUE with the
 * raw key (escapes are left as they are; the keys we look for have none)
 * and the scanner positioned at the member's value, which the caller must
 * then read or skip.  Returns FALSE after consuming the closing '}' or on
 * malformed input. */
gboolean    ph_json_scan_next_member   (PhJsonScan  *s,
                                        const char **key,
                                        gsize       *key_len);
/* Consumes '['. */
gboolean    ph_json_scan_enter_array   (PhJsonScan  *s);
/* TRUE when positioned at the next element, FALSE after the closing ']'. */
gboolean    ph_json_scan_next_element  (PhJsonScan  *s);

/* Skips one value of any type. */
gboolean    ph_json_scan_skip          (PhJsonScan  *s);
/* Skips one value and returns where it lies in the input. */
gboolean    ph_json_scan_span          (PhJsonScan  *s,
                                        const char **start,
                                        gsize       *len);
/* Reads a string value, decoding escapes, appending it to @out.  A null
 * value appends nothing and succeeds; any other type fails. */
gboolean    ph_json_scan_read_string   (PhJsonScan  *s,
                                        GString     *out);
/* Reads a string value as a new string (NULL for null or on failure). */
char       *ph_json_scan_dup_string    (PhJsonScan  *s);
/* Reads an integer number (a string holding digits is not one).  Null
 * gives 0. */
gboolean    ph_json_scan_read_int      (PhJsonScan  *s,
                                        gint64      *out);
/* Reads true/false; null gives FALSE. */
gboolean    ph_json_scan_read_bool     (PhJsonScan  *s,
                                        gboolean    *out);

/* Key comparison for the literal keys extraction code looks for. */
#define PH_JSON_KEY_IS(key, len, lit) \
  ((len) == sizeof (lit) - 1 && memcmp ((key), (lit), sizeof (lit) - 1) == 0)

G_END_DECLS
