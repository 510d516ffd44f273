/* test-semver.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "ph-semver.h"

static JsonObject *
load_expected (void)
{
  static JsonParser *parser;
  g_autoptr(GError) error = NULL;

  if (parser == NULL)
    {
      parser = json_parser_new ();
      json_parser_load_from_file (parser,
                                  g_test_get_filename (G_TEST_DIST, "plugin", "fixtures", "semver-expected.json", NULL),
                                  &error);
      g_assert_no_error (error);
    }

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_versions (void)
{
  JsonArray *versions = json_object_get_array_member (load_expected (), "versions");
  guint checked = 0;

  for (guint i = 0; i < json_array_get_length (versions); i++)
    {
      JsonObject *entry = json_array_get_object_element (versions, i);
      const char *text = json_object_get_string_member (entry, "version");
      const char *valid = json_object_get_string_member_with_default (entry, "valid", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PhSemver) parsed = ph_semver_parse (text, &error);

      if (valid == NULL)
        {
          if (parsed != NULL)
            g_error ("“%s” parsed but node-semver rejects it", text);
          g_assert_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_VERSION);
        }
      else
        {
          g_autofree char *formatted = NULL;

          if (parsed == NULL)
            g_error ("“%s” rejected (%s) but node-semver accepts it", text, error->message);
          formatted = ph_semver_to_string (parsed);
          g_assert_cmpstr (formatted, ==, valid);
        }
      checked++;
    }

  g_assert_cmpuint (checked, >, 50);
}

static void
check_ranges (gboolean include_prerelease)
{
  JsonObject *root = load_expected ();
  JsonArray *versions = json_object_get_array_member (root, "versions");
  JsonArray *ranges = json_object_get_array_member (root, "ranges");
  guint n_versions = json_array_get_length (versions);
  guint checked = 0;
  guint mismatches = 0;

  for (guint i = 0; i < json_array_get_length (ranges); i++)
    {
      JsonObject *entry = json_array_get_object_element (ranges, i);
      const char *range = json_object_get_string_member (entry, "range");
      const char *normalized = json_object_get_string_member_with_default (entry,
                                                                           include_prerelease ? "normalizedPre" : "normalized",
                                                                           NULL);
      const char *expected = json_object_get_string_member (entry, include_prerelease ? "pre" : "strict");
      g_autoptr(GError) error = NULL;
      g_autoptr(PhSemverRange) parsed = ph_semver_range_parse (range, include_prerelease, &error);

      g_assert_cmpuint (strlen (expected), ==, n_versions);

      if (normalized == NULL)
        {
          if (parsed != NULL)
            {
              g_printerr ("range “%s” parsed but node-semver rejects it\n", range);
              mismatches++;
            }
          else
            g_assert_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_RANGE);
        }
      else if (parsed == NULL)
        {
          g_printerr ("range “%s” rejected (%s) but node-semver reads “%s”\n", range, error->message, normalized);
          mismatches++;
        }
      else
        {
          g_autofree char *ours = ph_semver_range_to_string (parsed);

          if (g_strcmp0 (ours, normalized) != 0)
            {
              g_printerr ("range “%s”: ours “%s”, node-semver “%s”\n", range, ours, normalized);
              mismatches++;
            }
        }

      for (guint j = 0; j < n_versions; j++)
        {
          JsonObject *v = json_array_get_object_element (versions, j);
          const char *version = json_object_get_string_member (v, "version");
          gboolean want = expected[j] == '1';
          gboolean got = ph_semver_satisfies (version, range, include_prerelease);

          if (want != got)
            {
              g_printerr ("satisfies (“%s”, “%s”, %d): ours %d, node-semver %d\n",
                          version, range, include_prerelease, got, want);
              mismatches++;
            }
          checked++;
        }
    }

  g_test_message ("%u satisfies() cases checked", checked);
  g_assert_cmpuint (checked, >, 10000);
  g_assert_cmpuint (mismatches, ==, 0);
}

static void
test_ranges_strict (void)
{
  check_ranges (FALSE);
}

static void
test_ranges_include_prerelease (void)
{
  check_ranges (TRUE);
}

static void
test_compare (void)
{
  JsonArray *pairs = json_object_get_array_member (load_expected (), "compare");
  guint mismatches = 0;

  for (guint i = 0; i < json_array_get_length (pairs); i++)
    {
      JsonArray *pair = json_array_get_array_element (pairs, i);
      const char *a = json_array_get_string_element (pair, 0);
      const char *b = json_array_get_string_element (pair, 1);
      gboolean invalid = json_array_get_null_element (pair, 2);
      g_autoptr(GError) error = NULL;
      int got = ph_semver_compare (a, b, &error);

      if (invalid)
        {
          if (error == NULL)
            {
              g_printerr ("compare (“%s”, “%s”) succeeded but node-semver throws\n", a, b);
              mismatches++;
            }
          else
            g_assert_cmpint (got, ==, 0);
        }
      else
        {
          int want = json_array_get_int_element (pair, 2);

          if (error != NULL || got != want)
            {
              g_printerr ("compare (“%s”, “%s”): ours %d (%s), node-semver %d\n",
                          a, b, got, error ? error->message : "ok", want);
              mismatches++;
            }
        }
    }

  g_assert_cmpuint (json_array_get_length (pairs), >, 1000);
  g_assert_cmpuint (mismatches, ==, 0);
}

static void
test_errors (void)
{
  struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "1.2", "Invalid version “1.2”: expected “.” before the patch version at offset 3" },
    { "01.2.3", "Invalid version “01.2.3”: the major version has a leading zero at offset 0" },
    { "1.2.3-a..b", "Invalid version “1.2.3-a..b”: empty prerelease identifier at offset 8" },
    { "1.2.3-01", "Invalid version “1.2.3-01”: numeric prerelease identifier has a leading zero at offset 6" },
    { "1.2.3 x", "Invalid version “1.2.3 x”: unexpected character “ ” at offset 5" },
    { "1.x.3", "Invalid version “1.x.3”: expected a number for the minor version at offset 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PhSemver) parsed = ph_semver_parse (cases[i].text, &error);

      g_assert_null (parsed);
      g_assert_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_VERSION);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PhSemverRange) range = ph_semver_range_parse (">=1.2.3 || <2.0 blerg", FALSE, &error);

    g_assert_null (range);
    g_assert_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_RANGE);
    g_assert_nonnull (strstr (error->message, "alternative 2"));
    g_assert_nonnull (strstr (error->message, "“blerg”"));
  }

  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (ph_semver_compare ("1.2.3", "nope", &error), ==, 0);
    g_assert_error (error, PH_SEMVER_ERROR, PH_SEMVER_ERROR_INVALID_VERSION);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/semver/versions", test_versions);
  g_test_add_func ("/porthole/semver/ranges", test_ranges_strict);
  g_test_add_func ("/porthole/semver/ranges-include-prerelease", test_ranges_include_prerelease);
  g_test_add_func ("/porthole/semver/compare", test_compare);
  g_test_add_func ("/porthole/semver/errors", test_errors);

  return g_test_run ();
}
