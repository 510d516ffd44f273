/* test-json-scan.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-json-scan.h"

static void
test_walk (void)
{
  const char *json = " {\"a\": 1, \"b\" : [true, false, null, -2.5e3, {\"x\": \"}]\"}],"
                     " \"c\": {\"d\": \"e\"}, \"n\": -42, \"s\": null} ";
  PhJsonScan s;
  const char *key;
  gsize len;
  guint members = 0;
  gint64 a = 0, n = 0;
  g_autofree char *d = NULL;

  ph_json_scan_init (&s, json, strlen (json));
  g_assert_cmpint (ph_json_scan_peek (&s), ==, PH_JSON_OBJECT);
  g_assert_true (ph_json_scan_enter_object (&s));
  while (ph_json_scan_next_member (&s, &key, &len))
    {
      members++;
      if (PH_JSON_KEY_IS (key, len, "a"))
        g_assert_true (ph_json_scan_read_int (&s, &a));
      else if (PH_JSON_KEY_IS (key, len, "n"))
        g_assert_true (ph_json_scan_read_int (&s, &n));
      else if (PH_JSON_KEY_IS (key, len, "c"))
        {
          g_assert_true (ph_json_scan_enter_object (&s));
          g_assert_true (ph_json_scan_next_member (&s, &key, &len));
          g_assert_true (PH_JSON_KEY_IS (key, len, "d"));
          d = ph_json_scan_dup_string (&s);
          g_assert_false (ph_json_scan_next_member (&s, &key, &len));
        }
      else if (PH_JSON_KEY_IS (key, len, "s"))
        g_assert_null (ph_json_scan_dup_string (&s));
      else
        g_assert_true (ph_json_scan_skip (&s));
    }
  g_assert_false (ph_json_scan_failed (&s));
  g_assert_true (ph_json_scan_at_end (&s));
  g_assert_cmpuint (members, ==, 5);
  g_assert_cmpint (a, ==, 1);
  g_assert_cmpint (n, ==, -42);
  g_assert_cmpstr (d, ==, "e");
}

static void
test_escapes (void)
{
  const char *json = "\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\u20ac\\ud83d\\ude00\\\\\"";
  PhJsonScan s;
  g_autofree char *str = NULL;

  ph_json_scan_init (&s, json, strlen (json));
  str = ph_json_scan_dup_string (&s);
  g_assert_cmpstr (str, ==, "a\"b\\c/d\n\té€😀\\");
  g_assert_true (ph_json_scan_at_end (&s));
}

static void
test_span (void)
{
  const char *json = "[{\"k\": \"a\\\"]}\"}, 3, \"x\"]";
  PhJsonScan s;
  const char *start;
  gsize len;

  ph_json_scan_init (&s, json, strlen (json));
  g_assert_true (ph_json_scan_enter_array (&s));
  g_assert_true (ph_json_scan_next_element (&s));
  g_assert_true (ph_json_scan_span (&s, &start, &len));
  g_assert_cmpmem (start, len, "{\"k\": \"a\\\"]}\"}", strlen ("{\"k\": \"a\\\"]}\"}"));
  g_assert_true (ph_json_scan_next_element (&s));
  g_assert_true (ph_json_scan_span (&s, &start, &len));
  g_assert_cmpmem (start, len, "3", 1);
  g_assert_true (ph_json_scan_next_element (&s));
  g_assert_true (ph_json_scan_skip (&s));
  g_assert_false (ph_json_scan_next_element (&s));
  g_assert_false (ph_json_scan_failed (&s));
}

static void
test_malformed (void)
{
  static const char *bad[] = {
    "{\"a\": 1",
    "{\"a\" 1}",
    "{\"a\": [1, 2}",
    "\"unterminated",
    "{\"a\": \"x\\\"}",
    "[1, 2",
    "{a: 1}",
    "",
    "tru",
    "\"bad escape \\q\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      PhJsonScan s;
      const char *key;
      gsize len;

      ph_json_scan_init (&s, bad[i], strlen (bad[i]));
      if (ph_json_scan_peek (&s) == PH_JSON_OBJECT)
        {
          ph_json_scan_enter_object (&s);
          while (ph_json_scan_next_member (&s, &key, &len))
            ph_json_scan_skip (&s);
        }
      else if (ph_json_scan_peek (&s) == PH_JSON_STRING)
        {
          g_autofree char *str = ph_json_scan_dup_string (&s);
          g_assert_null (str);
        }
      else
        ph_json_scan_skip (&s);
      g_assert_true (ph_json_scan_failed (&s));
      /* Latched: nothing more succeeds. */
      g_assert_false (ph_json_scan_skip (&s));
    }
}

static void
test_int (void)
{
  PhJsonScan s;
  gint64 v = 0;
  gboolean b = TRUE;

  ph_json_scan_init (&s, "9223372036854775807", 19);
  g_assert_true (ph_json_scan_read_int (&s, &v));
  g_assert_cmpint (v, ==, G_MAXINT64);

  ph_json_scan_init (&s, "99999999999999999999", 20);
  g_assert_false (ph_json_scan_read_int (&s, &v));

  ph_json_scan_init (&s, "\"12\"", 4);
  g_assert_false (ph_json_scan_read_int (&s, &v));

  ph_json_scan_init (&s, "false", 5);
  g_assert_true (ph_json_scan_read_bool (&s, &b));
  g_assert_false (b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/json-scan/walk", test_walk);
  g_test_add_func ("/porthole/json-scan/escapes", test_escapes);
  g_test_add_func ("/porthole/json-scan/span", test_span);
  g_test_add_func ("/porthole/json-scan/malformed", test_malformed);
  g_test_add_func ("/porthole/json-scan/int", test_int);

  return g_test_run ();
}
