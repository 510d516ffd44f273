/* test-object.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-object-private.h"

static PhObject *
object_from_json (const char *json,
                  const char *resource)
{
  g_autoptr(GError) error = NULL;
  PhObjectFields *f;

  f = ph_object_fields_new (json, strlen (json), ph_kind_id_from_resource (resource), &error);
  g_assert_no_error (error);
  g_assert_nonnull (f);
  return ph_object_new_take_fields (f, "ctx");
}

/* Every case of the fixture: the fields the scan extracts must equal
 * what a full parse of the same JSON says, and the display columns what
 * kubectl prints for it. */
static void
test_cases (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *cases;

  json_parser_load_from_file (parser, g_test_get_filename (G_TEST_DIST, "kube", "fixtures", "objects",
                                                           "cases.json", NULL), &error);
  g_assert_no_error (error);
  cases = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (cases), >, 20);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      JsonNode *node = json_object_get_member (c, "object");
      JsonObject *meta = json_object_get_object_member (json_node_get_object (node), "metadata");
      JsonObject *expect = json_object_get_object_member (c, "expect");
      const char *resource = json_object_get_string_member (c, "resource");
      g_autofree char *json = json_to_string (node, i % 2 == 0);
      g_autoptr(PhObject) obj = object_from_json (json, resource);
      g_autoptr(GList) members = json_object_get_members (expect);

      g_test_message ("case %u: %s", i, json_object_get_string_member (meta, "name"));
      g_assert_cmpstr (ph_object_get_name (obj), ==, json_object_get_string_member (meta, "name"));
      g_assert_cmpstr (ph_object_get_uid (obj), ==, json_object_get_string_member (meta, "uid"));
      g_assert_cmpstr (ph_object_get_resource_version (obj), ==,
                       json_object_get_string_member (meta, "resourceVersion"));
      g_assert_cmpstr (ph_object_get_namespace (obj), ==,
                       json_object_get_string_member_with_default (meta, "namespace", ""));
      g_assert_cmpstr (ph_object_get_context (obj), ==, "ctx");

      for (GList *l = members; l; l = l->next)
        {
          const char *col = l->data;
          const char *want = json_object_get_string_member (expect, col);
          const char *got = ph_object_get_column (obj, col);

          g_test_message ("  %s: want “%s”, got “%s”", col, want, got);
          g_assert_cmpstr (got, ==, want);
        }
    }
}

static void
test_metadata (void)
{
  g_autoptr(PhObject) obj = object_from_json (
    "{\"metadata\": {\"name\": \"a\", \"uid\": \"u\", \"resourceVersion\": \"5\","
    " \"creationTimestamp\": \"2026-01-02T03:04:05Z\","
    " \"labels\": {\"z\": \"1\", \"app\": \"web\", \"m\": \"\"}}}", "pods");
  const char * const *labels = ph_object_get_labels (obj);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (ph_object_get_creation_timestamp (obj), ==, 1767323045);
  g_assert_cmpuint (g_strv_length ((char **) labels), ==, 3);
  g_assert_cmpstr (labels[0], ==, "app=web");
  g_assert_cmpstr (labels[1], ==, "m=");
  g_assert_cmpstr (labels[2], ==, "z=1");
  g_assert_cmpstr (ph_object_get_kind (obj), ==, "Pod");

  node = ph_object_parse (obj, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_node_get_object (node), "metadata"), "name"), ==, "a");
  g_assert_null (ph_object_get_column (obj, "no-such-column"));
}

static void
test_malformed (void)
{
  static const char *bad[] = {
    "{\"metadata\": {\"name\": \"a\"}}",              /* no uid */
    "{\"metadata\": {\"uid\": \"a\", \"name\": }",
    "{\"metadata\": {\"uid\": \"a\"}} trailing",
    "[]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      PhObjectFields *f = ph_object_fields_new (bad[i], strlen (bad[i]), PH_KIND_POD, &error);

      g_assert_null (f);
      g_assert_nonnull (error);
    }
}

typedef struct {
  GPtrArray *props;
  GPtrArray *columns;
} Notes;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Notes      *notes)
{
  g_ptr_array_add (notes->props, (gpointer) g_param_spec_get_name (pspec));
}

static void
on_column_changed (PhObject   *object,
                   const char *column,
                   Notes      *notes)
{
  g_ptr_array_add (notes->columns, g_strdup (column));
}

static gboolean
contains (GPtrArray  *arr,
          const char *str)
{
  for (guint i = 0; i < arr->len; i++)
    if (strcmp (g_ptr_array_index (arr, i), str) == 0)
      return TRUE;
  return FALSE;
}

/* An update notifies exactly the properties whose values changed. */
static void
test_update_notifies (void)
{
  const char *v1 = "{\"metadata\": {\"name\": \"d\", \"namespace\": \"n\", \"uid\": \"u\", \"resourceVersion\": \"1\"},"
                   " \"spec\": {\"replicas\": 3}, \"status\": {\"readyReplicas\": 1, \"updatedReplicas\": 3, \"availableReplicas\": 1}}";
  const char *v2 = "{\"metadata\": {\"name\": \"d\", \"namespace\": \"n\", \"uid\": \"u\", \"resourceVersion\": \"2\"},"
                   " \"spec\": {\"replicas\": 3}, \"status\": {\"readyReplicas\": 2, \"updatedReplicas\": 3, \"availableReplicas\": 2}}";
  g_autoptr(PhObject) obj = object_from_json (v1, "deployments");
  Notes notes = { g_ptr_array_new (), g_ptr_array_new_with_free_func (g_free) };
  PhObjectFields *f;

  g_signal_connect (obj, "notify", G_CALLBACK (on_notify), &notes);
  g_signal_connect (obj, "column-changed", G_CALLBACK (on_column_changed), &notes);

  f = ph_object_fields_new (v2, strlen (v2), PH_KIND_DEPLOYMENT, NULL);
  ph_object_update_take_fields (obj, f);

  g_assert_cmpstr (ph_object_get_ready (obj), ==, "2/3");
  g_assert_cmpstr (ph_object_get_column (obj, "available"), ==, "2");
  g_assert_cmpuint (notes.props->len, ==, 3);
  g_assert_true (contains (notes.props, "resource-version"));
  g_assert_true (contains (notes.props, "ready"));
  g_assert_true (contains (notes.props, "json"));
  g_assert_cmpuint (notes.columns->len, ==, 1);
  g_assert_true (contains (notes.columns, "available"));

  g_ptr_array_unref (notes.props);
  g_ptr_array_unref (notes.columns);
  g_assert_finalize_object (g_steal_pointer (&obj));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/porthole/object/cases", test_cases);
  g_test_add_func ("/porthole/object/metadata", test_metadata);
  g_test_add_func ("/porthole/object/malformed", test_malformed);
  g_test_add_func ("/porthole/object/update-notifies", test_update_notifies);

  return g_test_run ();
}
