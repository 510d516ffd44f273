/* test-sim-server.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "ph-sim-server.h"
/* For the server's context: the teardown test stalls its thread. */
#include "ph-sim-server-private.h"

#define TABLE_ACCEPT "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

/* A plain HTTP client written here, on purpose independent of src/kube. */

typedef struct {
  PhSimServer *server;
  SoupSession *session;
  char        *url;
} Fixture;

typedef struct {
  guint        pods;
  guint        history;
  guint        ttl;
  const char  *token;
  gboolean     tls;
  gboolean     client_cert;
} Config;

static const Config default_config = { 300, 0, 0, NULL, FALSE, FALSE };

static gboolean
accept_any_certificate (SoupMessage          *msg,
                        GTlsCertificate      *cert,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  GTlsCertificate *ca = user_data;

  /* Trust exactly the simulator's CA. */
  return g_tls_certificate_verify (cert, NULL, ca) == 0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const Config *config = data ? data : &default_config;
  PhSimOptions options;
  g_autoptr(GError) error = NULL;

  ph_sim_options_init (&options);
  options.pods = config->pods;
  options.namespaces = 3;
  options.seed = 7;
  options.history_size = config->history;
  options.continue_ttl_seconds = config->ttl;
  options.token = config->token;
  options.tls = config->tls;
  options.require_client_cert = config->client_cert;

  f->server = ph_sim_server_new (&options);
  g_assert_true (ph_sim_server_start (f->server, &error));
  g_assert_no_error (error);
  f->url = ph_sim_server_get_url (f->server);
  f->session = soup_session_new_with_options ("timeout", 30, "max-conns-per-host", 8, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  ph_sim_server_stop (f->server);
  g_assert_finalize_object (f->server);
  g_free (f->url);
}

static SoupMessage *
new_message (Fixture    *f,
             const char *method,
             const char *path)
{
  g_autofree char *uri = g_strconcat (f->url, path, NULL);

  return soup_message_new (method, uri);
}

/* Sends a request and parses the answer as JSON; returns the status. */
static guint
request_json (Fixture     *f,
              const char  *method,
              const char  *path,
              const char  *accept,
              const char  *body,
              JsonNode   **out)
{
  g_autoptr(SoupMessage) msg = new_message (f, method, path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request);
    }

  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);

  if (out != NULL)
    {
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &error));
      g_assert_no_error (error);
      *out = json_node_copy (json_parser_get_root (parser));
    }

  return soup_message_get_status (msg);
}

static guint
get_json (Fixture     *f,
          const char  *path,
          JsonNode   **out)
{
  return request_json (f, "GET", path, NULL, NULL, out);
}

static const char *
string_at (JsonNode   *node,
           const char *path)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  static char buffer[4096];
  JsonArray *array;

  result = json_path_query (path, node, &error);
  g_assert_no_error (error);
  array = json_node_get_array (result);
  if (json_array_get_length (array) == 0)
    return NULL;
  if (json_node_get_value_type (json_array_get_element (array, 0)) == G_TYPE_STRING)
    g_strlcpy (buffer, json_array_get_string_element (array, 0), sizeof buffer);
  else
    g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, json_array_get_int_element (array, 0));
  return buffer;
}

/* The element of the array @member of @node whose "name" is @name. */
static JsonObject *
named (JsonNode   *node,
       const char *member,
       const char *name)
{
  JsonArray *array = json_object_get_array_member (json_node_get_object (node), member);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *element = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (element, "name", NULL), name) == 0)
        return element;
    }

  return NULL;
}

static guint
count_at (JsonNode   *node,
          const char *member)
{
  return json_array_get_length (json_object_get_array_member (json_node_get_object (node), member));
}

static void
control (Fixture    *f,
         const char *body)
{
  g_assert_cmpuint (request_json (f, "POST", "/porthole-sim/v1/control", NULL, body, NULL), ==, 200);
}

/* Tests. */

static void
test_discovery (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) groups = NULL;
  g_autoptr(JsonNode) apps = NULL;
  g_autoptr(JsonNode) demo = NULL;

  g_assert_cmpuint (get_json (f, "/version", &node), ==, 200);
  g_assert_cmpstr (string_at (node, "$.major"), ==, "1");

  g_assert_cmpuint (get_json (f, "/apis", &groups), ==, 200);
  g_assert_cmpstr (string_at (groups, "$.kind"), ==, "APIGroupList");
  g_assert_nonnull (named (groups, "groups", "demo.porthole.io"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
      named (groups, "groups", "demo.porthole.io"), "preferredVersion"), "version"), ==, "v1");

  g_assert_cmpuint (get_json (f, "/apis/apps/v1", &apps), ==, 200);
  g_assert_nonnull (named (apps, "resources", "deployments"));
  g_assert_cmpstr (json_object_get_string_member (named (apps, "resources", "deployments"), "kind"), ==, "Deployment");

  g_assert_cmpuint (get_json (f, "/apis/demo.porthole.io/v1", &demo), ==, 200);
  g_assert_nonnull (named (demo, "resources", "widgets"));
  g_assert_cmpstr (json_object_get_string_member (named (demo, "resources", "widgets"), "kind"), ==, "Widget");

  g_assert_cmpuint (get_json (f, "/apis/nothing.example/v1", NULL), ==, 404);
  g_assert_cmpuint (get_json (f, "/api/v1/frobs", NULL), ==, 404);
}

static void
test_crd_printer_columns (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) crd = NULL;
  g_autoptr(JsonNode) table = NULL;

  g_assert_cmpuint (get_json (f, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.demo.porthole.io", &crd), ==, 200);
  g_assert_cmpstr (string_at (crd, "$.spec.versions[0].additionalPrinterColumns[0].jsonPath"), ==, ".spec.color");

  g_assert_cmpuint (request_json (f, "GET", "/apis/demo.porthole.io/v1/widgets", TABLE_ACCEPT, NULL, &table), ==, 200);
  g_assert_cmpstr (string_at (table, "$.kind"), ==, "Table");
  g_assert_cmpstr (string_at (table, "$.columnDefinitions[1].name"), ==, "Color");
  g_assert_cmpuint (count_at (table, "rows"), >, 0);
}

static void
test_list_pages (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (f->server, "pods", NULL);
  g_autofree char *token = NULL;
  g_autofree char *first_rv = NULL;
  guint pages = 0;

  g_assert_cmpuint (truth->len, ==, 300);

  do
    {
      g_autoptr(JsonNode) page = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = token ? g_uri_escape_string (token, NULL, TRUE) : NULL;
      JsonArray *items;
      const char *next;

      path = g_strdup_printf ("/api/v1/pods?limit=70%s%s", token ? "&continue=" : "", token ? escaped : "");
      g_assert_cmpuint (get_json (f, path, &page), ==, 200);

      /* Every page reports the resourceVersion of the first one. */
      if (first_rv == NULL)
        first_rv = g_strdup (string_at (page, "$.metadata.resourceVersion"));
      else
        g_assert_cmpstr (string_at (page, "$.metadata.resourceVersion"), ==, first_rv);

      items = json_object_get_array_member (json_node_get_object (page), "items");
      g_assert_cmpuint (json_array_get_length (items), <=, 70);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *meta = json_object_get_object_member (json_array_get_object_element (items, i), "metadata");
          char *key = g_strdup_printf ("%s/%s", json_object_get_string_member (meta, "namespace"),
                                       json_object_get_string_member (meta, "name"));
          g_assert_false (g_hash_table_contains (seen, key));
          g_hash_table_add (seen, key);
        }

      next = string_at (page, "$.metadata.continue");
      g_clear_pointer (&token, g_free);
      token = g_strdup (next);
      if (token != NULL)
        {
          g_autofree char *remaining = g_strdup (string_at (page, "$.metadata.remainingItemCount"));
          g_assert_cmpint (atoi (remaining), ==, 300 - g_hash_table_size (seen));
        }

      /* Changes between pages do not show in a consistent list. */
      if (pages == 0)
        ph_sim_server_churn_steps (f->server, 50);
      pages++;
    }
  while (token != NULL);

  g_assert_cmpuint (pages, ==, 5);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 300);
}

static void
test_continue_expired (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(JsonNode) rest = NULL;
  g_autofree char *token = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *fresh = NULL;

  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=100", &page), ==, 200);
  token = g_strdup (string_at (page, "$.metadata.continue"));
  g_assert_nonnull (token);

  /* Compaction makes the token too old: 410 Expired with a new token. */
  ph_sim_server_churn_steps (f->server, 5);
  ph_sim_server_compact (f->server);
  escaped = g_uri_escape_string (token, NULL, TRUE);
  path = g_strdup_printf ("/api/v1/pods?limit=100&continue=%s", escaped);
  g_assert_cmpuint (get_json (f, path, &gone), ==, 410);
  g_assert_cmpstr (string_at (gone, "$.kind"), ==, "Status");
  g_assert_cmpstr (string_at (gone, "$.reason"), ==, "Expired");
  fresh = g_strdup (string_at (gone, "$.metadata.continue"));
  g_assert_nonnull (fresh);
  g_assert_cmpstr (fresh, !=, token);

  /* The new token continues after the last key the client saw. */
  g_clear_pointer (&escaped, g_free);
  g_clear_pointer (&path, g_free);
  escaped = g_uri_escape_string (fresh, NULL, TRUE);
  path = g_strdup_printf ("/api/v1/pods?limit=500&continue=%s", escaped);
  g_assert_cmpuint (get_json (f, path, &rest), ==, 200);
  g_assert_cmpuint (count_at (rest, "items"), >=, 150);
  g_assert_cmpuint (count_at (rest, "items"), <=, 250);
  g_assert_cmpuint (g_ascii_strtoull (string_at (rest, "$.metadata.resourceVersion"), NULL, 10), ==,
                    ph_sim_server_get_resource_version (f->server));

  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=5&continue=bm90LWEtdG9rZW4=", NULL), ==, 400);
}

static const Config short_ttl = { 120, 0, 1, NULL, FALSE, FALSE };

static void
test_continue_ttl (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) page = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint status = 0;

  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=10", &page), ==, 200);
  escaped = g_uri_escape_string (string_at (page, "$.metadata.continue"), NULL, TRUE);
  path = g_strdup_printf ("/api/v1/pods?limit=10&continue=%s", escaped);

  /* Tokens expire after the configured second: wait for it. */
  while (g_get_monotonic_time () < deadline)
    {
      status = get_json (f, path, NULL);
      if (status == 410)
        break;
      g_usleep (200 * 1000);
    }
  g_assert_cmpuint (status, ==, 410);
}

static void
test_resource_version_semantics (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(JsonNode) exact = NULL;
  g_autoptr(JsonNode) now = NULL;
  guint64 before = ph_sim_server_get_resource_version (f->server);
  g_autofree char *path = NULL;
  g_autofree char *future = NULL;
  g_autofree char *before_text = g_strdup_printf ("%" G_GUINT64_FORMAT, before);
  g_autoptr(GPtrArray) truth_before = ph_sim_server_snapshot (f->server, "pods", "default");

  ph_sim_server_churn_steps (f->server, 40);

  /* Exact: the list as it was. */
  path = g_strdup_printf ("/api/v1/namespaces/default/pods?resourceVersion=%s&resourceVersionMatch=Exact", before_text);
  g_assert_cmpuint (get_json (f, path, &exact), ==, 200);
  g_assert_cmpstr (string_at (exact, "$.metadata.resourceVersion"), ==, before_text);
  g_assert_cmpuint (count_at (exact, "items"), ==, truth_before->len);

  /* "0" and NotOlderThan: at least as new. */
  g_assert_cmpuint (get_json (f, "/api/v1/namespaces/default/pods?resourceVersion=0", &now), ==, 200);
  g_assert_cmpuint (g_ascii_strtoull (string_at (now, "$.metadata.resourceVersion"), NULL, 10), >, before);

  /* A version from the future times out; a compacted one is gone. */
  future = g_strdup_printf ("/api/v1/pods?resourceVersion=%" G_GUINT64_FORMAT "&resourceVersionMatch=NotOlderThan",
                            before + 100000);
  g_assert_cmpuint (get_json (f, future, NULL), ==, 504);
  ph_sim_server_compact (f->server);
  g_assert_cmpuint (get_json (f, path, NULL), ==, 410);
  g_assert_cmpuint (get_json (f, "/api/v1/pods?resourceVersion=abc", NULL), ==, 400);
}

static void
test_selectors (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) by_label = NULL;
  g_autoptr(JsonNode) by_field = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autofree char *app = NULL;
  g_autofree char *path = NULL;
  JsonArray *items;

  g_assert_cmpuint (get_json (f, "/api/v1/namespaces/payments/pods", &all), ==, 200);
  app = g_strdup (string_at (all, "$.items[0].metadata.labels.app"));
  g_assert_nonnull (app);

  path = g_strdup_printf ("/api/v1/pods?labelSelector=app%%3D%s", app);
  g_assert_cmpuint (get_json (f, path, &by_label), ==, 200);
  items = json_object_get_array_member (json_node_get_object (by_label), "items");
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *labels = json_object_get_object_member (json_object_get_object_member (
          json_array_get_object_element (items, i), "metadata"), "labels");
      g_assert_cmpstr (json_object_get_string_member (labels, "app"), ==, app);
    }

  g_assert_cmpuint (get_json (f, "/api/v1/pods?fieldSelector=metadata.namespace%3Dpayments", &by_field), ==, 200);
  g_assert_cmpuint (count_at (by_field, "items"), ==, count_at (all, "items"));

  g_assert_cmpuint (get_json (f, "/api/v1/pods?fieldSelector=status.phase%3DPending", &none), ==, 200);
  g_assert_cmpuint (count_at (none, "items"), ==, 0);

  g_assert_cmpuint (get_json (f, "/api/v1/pods?fieldSelector=spec.color%3Dred", &bad), ==, 400);
  g_assert_cmpstr (string_at (bad, "$.reason"), ==, "BadRequest");
}

static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) table = NULL;
  g_autoptr(JsonNode) full = NULL;

  g_assert_cmpuint (request_json (f, "GET", "/api/v1/pods?limit=10", TABLE_ACCEPT, NULL, &table), ==, 200);
  g_assert_cmpstr (string_at (table, "$.kind"), ==, "Table");
  g_assert_cmpstr (string_at (table, "$.apiVersion"), ==, "meta.k8s.io/v1");
  g_assert_cmpstr (string_at (table, "$.columnDefinitions[0].name"), ==, "Name");
  g_assert_cmpstr (string_at (table, "$.columnDefinitions[4].name"), ==, "Age");
  g_assert_cmpuint (count_at (table, "rows"), ==, 10);
  g_assert_cmpstr (string_at (table, "$.rows[0].object.kind"), ==, "PartialObjectMetadata");
  g_assert_cmpstr (string_at (table, "$.rows[0].cells[0]"), ==, string_at (table, "$.rows[0].object.metadata.name"));
  g_assert_nonnull (string_at (table, "$.metadata.continue"));

  g_assert_cmpuint (request_json (f, "GET", "/apis/apps/v1/deployments?includeObject=Object", TABLE_ACCEPT, NULL, &full), ==, 200);
  g_assert_cmpstr (string_at (full, "$.rows[0].object.kind"), ==, "Deployment");
  g_assert_nonnull (string_at (full, "$.rows[0].object.spec.replicas"));
}

/* Watch over chunked HTTP. */

typedef struct {
  GInputStream *stream;
  GString      *buffer;
  SoupMessage  *msg;
} Stream;

static void
stream_open (Fixture    *f,
             Stream     *s,
             const char *path)
{
  g_autoptr(GError) error = NULL;

  s->msg = new_message (f, "GET", path);
  s->stream = soup_session_send (f->session, s->msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (s->msg), ==, 200);
  s->buffer = g_string_new (NULL);
}

static void
stream_close (Stream *s)
{
  g_clear_object (&s->stream);
  g_clear_object (&s->msg);
  g_string_free (s->buffer, TRUE);
}

/* The next event, parsed, or NULL at the end of the stream. */
static JsonNode *
stream_next (Stream *s)
{
  for (;;)
    {
      char *newline = memchr (s->buffer->str, '\n', s->buffer->len);
      char chunk[16384];
      gssize n;
      g_autoptr(GError) error = NULL;

      if (newline != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          gsize length = newline - s->buffer->str;

          g_assert_true (json_parser_load_from_data (parser, s->buffer->str, length, &error));
          g_assert_no_error (error);
          g_string_erase (s->buffer, 0, length + 1);
          return json_node_copy (json_parser_get_root (parser));
        }

      n = g_input_stream_read (s->stream, chunk, sizeof chunk, NULL, &error);
      g_assert_no_error (error);
      if (n == 0)
        return NULL;
      g_string_append_len (s->buffer, chunk, n);
    }
}

static void
test_watch_replay_and_live (Fixture       *f,
                            gconstpointer  data)
{
  guint64 rv = ph_sim_server_get_resource_version (f->server);
  g_autofree char *path = NULL;
  Stream s;
  guint64 last = rv;
  guint events = 0;
  gboolean bookmark = FALSE;

  /* Changes before the watch starts are replayed from the history. */
  ph_sim_server_churn_steps (f->server, 30);
  path = g_strdup_printf ("/api/v1/pods?watch=1&resourceVersion=%" G_GUINT64_FORMAT
                          "&allowWatchBookmarks=true&timeoutSeconds=3", rv);
  stream_open (f, &s, path);

  /* And new ones arrive live. */
  ph_sim_server_churn_steps (f->server, 30);

  for (;;)
    {
      g_autoptr(JsonNode) event = stream_next (&s);
      const char *type;
      guint64 event_rv;

      if (event == NULL)
        break;
      type = string_at (event, "$.type");
      if (g_str_equal (type, "BOOKMARK"))
        {
          bookmark = TRUE;
          g_assert_cmpstr (string_at (event, "$.object.kind"), ==, "Pod");
          continue;
        }
      g_assert_true (g_str_equal (type, "ADDED") || g_str_equal (type, "MODIFIED") ||
                     g_str_equal (type, "DELETED"));
      g_assert_cmpstr (string_at (event, "$.object.kind"), ==, "Pod");
      event_rv = g_ascii_strtoull (string_at (event, "$.object.metadata.resourceVersion"), NULL, 10);
      g_assert_cmpuint (event_rv, >, last);
      last = event_rv;
      events++;
    }

  /* timeoutSeconds ended the stream cleanly, with a bookmark first. */
  g_assert_cmpuint (events, >=, 20);
  g_assert_true (bookmark);
  stream_close (&s);
}

static void
test_watch_expired (Fixture       *f,
                    gconstpointer  data)
{
  guint64 rv = ph_sim_server_get_resource_version (f->server);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(JsonNode) end = NULL;
  Stream s;

  ph_sim_server_churn_steps (f->server, 5);
  ph_sim_server_compact (f->server);

  path = g_strdup_printf ("/api/v1/pods?watch=true&resourceVersion=%" G_GUINT64_FORMAT, rv);
  stream_open (f, &s, path);
  event = stream_next (&s);
  g_assert_nonnull (event);
  g_assert_cmpstr (string_at (event, "$.type"), ==, "ERROR");
  g_assert_cmpstr (string_at (event, "$.object.kind"), ==, "Status");
  g_assert_cmpstr (string_at (event, "$.object.code"), ==, "410");
  g_assert_cmpstr (string_at (event, "$.object.reason"), ==, "Expired");
  end = stream_next (&s);
  g_assert_null (end);
  stream_close (&s);
}

static void
test_watch_initial_events (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (f->server, "pods", "checkout");
  Stream s;
  guint added = 0;

  g_assert_cmpuint (get_json (f, "/api/v1/pods?watch=1&sendInitialEvents=true", NULL), ==, 422);

  stream_open (f, &s, "/api/v1/namespaces/checkout/pods?watch=1&sendInitialEvents=true"
               "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=30");
  for (;;)
    {
      g_autoptr(JsonNode) event = stream_next (&s);

      g_assert_nonnull (event);
      if (g_str_equal (string_at (event, "$.type"), "BOOKMARK"))
        {
          JsonObject *meta = json_object_get_object_member (json_object_get_object_member (
              json_node_get_object (event), "object"), "metadata");

          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (meta, "annotations"),
                                                          "k8s.io/initial-events-end"), ==, "true");
          break;
        }
      g_assert_cmpstr (string_at (event, "$.type"), ==, "ADDED");
      g_assert_cmpstr (string_at (event, "$.object.metadata.namespace"), ==, "checkout");
      added++;
    }
  g_assert_cmpuint (added, ==, truth->len);

  /* Dropping watches ends the stream. */
  ph_sim_server_drop_watches (f->server);
  for (;;)
    {
      g_autoptr(JsonNode) event = stream_next (&s);
      if (event == NULL)
        break;
    }
  stream_close (&s);
}

static void
test_watch_selector_transitions (Fixture       *f,
                                 gconstpointer  data)
{
  /* Watch only crashing pods (Ready False can't be selected, so use the
   * name of one pod and delete it). */
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *del = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  Stream s;

  g_assert_cmpuint (get_json (f, "/api/v1/namespaces/default/pods?limit=1", &list), ==, 200);
  name = g_strdup (string_at (list, "$.items[0].metadata.name"));

  path = g_strdup_printf ("/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%%3D%s&timeoutSeconds=10", name);
  stream_open (f, &s, path);
  added = stream_next (&s);
  g_assert_cmpstr (string_at (added, "$.type"), ==, "ADDED");
  g_assert_cmpstr (string_at (added, "$.object.metadata.name"), ==, name);

  del = g_strdup_printf ("/api/v1/namespaces/default/pods/%s", name);
  g_assert_cmpuint (request_json (f, "DELETE", del, NULL, NULL, NULL), ==, 200);
  deleted = stream_next (&s);
  g_assert_cmpstr (string_at (deleted, "$.type"), ==, "DELETED");
  g_assert_cmpstr (string_at (deleted, "$.object.metadata.name"), ==, name);
  g_assert_cmpuint (get_json (f, del, NULL), ==, 404);

  ph_sim_server_drop_watches (f->server);
  stream_close (&s);
}

static void
test_watch_table (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = new_message (f, "GET", "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=10");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  JsonNode *event;

  /* What kubectl get -w asks for: every event carries a one-row Table. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", TABLE_ACCEPT);
  stream = soup_session_send (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (stream);
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  event = json_parser_get_root (parser);
  g_assert_cmpstr (string_at (event, "$.type"), ==, "ADDED");
  g_assert_cmpstr (string_at (event, "$.object.kind"), ==, "Table");
  g_assert_cmpstr (string_at (event, "$.object.columnDefinitions[2].name"), ==, "Status");
  g_assert_cmpstr (string_at (event, "$.object.rows[0].object.metadata.namespace"), ==, "default");

  ph_sim_server_drop_watches (f->server);
}

/* Reads a raw HTTP/1.1 watch response until the server closes or ends
 * it; @cut chooses how the server ends it. */
static GString *
raw_watch_until_end (Fixture  *f,
                     gboolean  cut)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GString *received = g_string_new (NULL);
  const char *request = "GET /api/v1/namespaces/default/pods?watch=1 HTTP/1.1\r\n"
                        "Host: 127.0.0.1\r\nConnection: close\r\n\r\n";
  GInputStream *in;
  char buffer[65536];
  gssize n;

  connection = g_socket_client_connect_to_uri (client, f->url, 80, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  /* Wait for the initial events, then end the watch. */
  while (strstr (received->str, "\"type\":\"ADDED\"") == NULL)
    {
      n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (received, buffer, n);
    }

  if (cut)
    ph_sim_server_cut_watches (f->server);
  else
    ph_sim_server_drop_watches (f->server);

  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (received, buffer, n);

  return received;
}

static void
test_watch_cut (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) dropped = raw_watch_until_end (f, FALSE);
  g_autoptr(GString) cut = raw_watch_until_end (f, TRUE);

  /* A dropped watch ends its chunked body; a cut one just stops. */
  g_assert_true (g_str_has_prefix (dropped->str, "HTTP/1.1 200"));
  g_assert_true (g_str_has_suffix (dropped->str, "\r\n0\r\n\r\n"));
  g_assert_true (g_str_has_prefix (cut->str, "HTTP/1.1 200"));
  g_assert_false (g_str_has_suffix (cut->str, "\r\n0\r\n\r\n"));
}

/* Watch over WebSocket. */

typedef struct {
  GPtrArray               *frames;
  SoupWebsocketConnection *ws;
  GError                  *error;
  gboolean                 closed;
  gboolean                 done;
} WsState;

static void
on_ws_message (SoupWebsocketConnection *ws,
               int                      type,
               GBytes                  *message,
               WsState                 *state)
{
  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_ptr_array_add (state->frames, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              WsState                 *state)
{
  state->closed = TRUE;
}

static void
on_ws_connected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsState *state = user_data;

  state->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &state->error);
  if (state->ws != NULL)
    {
      g_signal_connect (state->ws, "message", G_CALLBACK (on_ws_message), state);
      g_signal_connect (state->ws, "closed", G_CALLBACK (on_ws_closed), state);
    }
  state->done = TRUE;
}

static void
ws_connect (Fixture    *f,
            WsState    *state,
            const char *path,
            const char *origin,
            char      **protocols)
{
  g_autoptr(SoupMessage) msg = new_message (f, "GET", path);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  memset (state, 0, sizeof *state);
  state->frames = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (f->session, msg, origin, protocols, G_PRIORITY_DEFAULT,
                                        NULL, on_ws_connected, state);
  while (!state->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (state->done);
}

static void
ws_state_clear (WsState *state)
{
  if (state->ws != NULL)
    g_signal_handlers_disconnect_by_data (state->ws, state);
  g_clear_object (&state->ws);
  g_clear_error (&state->error);
  g_ptr_array_unref (state->frames);
}

static void
test_watch_websocket (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (f->server, "pods", "default");
  char *one[] = { "v4.channel.k8s.io", NULL };
  char *two[] = { "base64.binary.k8s.io", "v4.channel.k8s.io", NULL };
  gint64 deadline;
  WsState state;
  guint modified = 0;

  /* No Origin: refused, as the apiserver does. */
  ws_connect (f, &state, "/api/v1/namespaces/default/pods?watch=1", NULL, NULL);
  g_assert_null (state.ws);
  g_assert_nonnull (state.error);
  ws_state_clear (&state);

  /* More than one subprotocol: refused. */
  ws_connect (f, &state, "/api/v1/namespaces/default/pods?watch=1", "http://localhost", two);
  g_assert_null (state.ws);
  ws_state_clear (&state);

  ws_connect (f, &state, "/api/v1/namespaces/default/pods?watch=1&timeoutSeconds=20", "http://localhost", one);
  g_assert_no_error (state.error);
  g_assert_cmpstr (soup_websocket_connection_get_protocol (state.ws), ==, "v4.channel.k8s.io");

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (state.frames->len < truth->len && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (state.frames->len, ==, truth->len);

  /* One event per text frame. */
  for (guint i = 0; i < state.frames->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, state.frames->pdata[i], -1, &error));
      g_assert_cmpstr (string_at (json_parser_get_root (parser), "$.type"), ==, "ADDED");
    }

  /* Live changes in this namespace arrive too; churn until one does. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (modified == 0 && g_get_monotonic_time () < deadline)
    {
      guint before = state.frames->len;

      ph_sim_server_churn_steps (f->server, 20);
      for (guint i = 0; i < 50 && state.frames->len == before; i++)
        g_main_context_iteration (NULL, FALSE), g_usleep (2000);
      modified += state.frames->len - before;
    }
  g_assert_cmpuint (modified, >, 0);

  /* Dropping watches closes the socket. */
  ph_sim_server_drop_watches (f->server);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!state.closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (state.closed);
  g_assert_cmpint (soup_websocket_connection_get_close_code (state.ws), ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  ws_state_clear (&state);
}

static void
test_watch_websocket_cut (Fixture       *f,
                          gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  WsState state;

  ws_connect (f, &state, "/api/v1/namespaces/default/pods?watch=1", "http://localhost", NULL);
  g_assert_no_error (state.error);
  while (state.frames->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (state.frames->len, >, 0);

  ph_sim_server_cut_watches (f->server);
  while (!state.closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (state.closed);
  /* No close frame came: the close code stays unset. */
  g_assert_cmpint (soup_websocket_connection_get_close_code (state.ws), !=, SOUP_WEBSOCKET_CLOSE_NORMAL);
  ws_state_clear (&state);
}

/* Initial states of large collections stream. */

static const Config large_config = { 20000, 0, 0, NULL, FALSE, FALSE };

#define INITIAL_WATCH "/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan" \
                      "&allowWatchBookmarks=true&timeoutSeconds=120"

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return json_object_get_string_member_with_default (object, name, NULL);
}

/* "namespace/name uid rv" for the object of @event, as in
 * ph_sim_server_snapshot(); the key is returned in @key. */
static char *
event_line (JsonObject  *event,
            char       **key)
{
  JsonObject *meta = json_object_get_object_member (json_object_get_object_member (event, "object"), "metadata");

  *key = g_strdup_printf ("%s/%s", member_string (meta, "namespace"), member_string (meta, "name"));
  return g_strdup_printf ("%s %s %s", *key, member_string (meta, "uid"), member_string (meta, "resourceVersion"));
}

static guint64
event_rv (JsonObject *event)
{
  JsonObject *meta = json_object_get_object_member (json_object_get_object_member (event, "object"), "metadata");

  return g_ascii_strtoull (member_string (meta, "resourceVersion"), NULL, 10);
}

static gboolean
is_initial_events_end (JsonObject *event)
{
  JsonObject *meta = json_object_get_object_member (json_object_get_object_member (event, "object"), "metadata");

  return json_object_has_member (meta, "annotations") &&
         g_strcmp0 (member_string (json_object_get_object_member (meta, "annotations"),
                                   "k8s.io/initial-events-end"), "true") == 0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
assert_same_lines (GHashTable *state,
                   GPtrArray  *truth)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, state);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (lines, value);
  g_ptr_array_sort (lines, compare_strings);

  g_assert_cmpuint (lines->len, ==, truth->len);
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpstr (lines->pdata[i], ==, truth->pdata[i]);
}

static void
test_watch_initial_streams (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) before = ph_sim_server_snapshot (f->server, "pods", NULL);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GHashTable) state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint64 start_rv = ph_sim_server_get_resource_version (f->server);
  guint64 final_rv, last_rv;
  PhSimWatchStats stats;
  guint changes = 0;
  Stream s;

  g_assert_cmpuint (before->len, ==, 20000);
  stream_open (f, &s, INITIAL_WATCH);

  /* The first event is out while most of the state is not even
   * serialized: the client reads nothing more meanwhile. */
  {
    g_autoptr(JsonNode) first = stream_next (&s);
    char *key;
    char *line;

    g_assert_cmpstr (member_string (json_node_get_object (first), "type"), ==, "ADDED");
    line = event_line (json_node_get_object (first), &key);
    g_hash_table_replace (state, key, line);
  }
  ph_sim_server_get_watch_stats (f->server, &stats);
  g_assert_cmpuint (stats.watches, ==, 1);
  g_assert_cmpuint (stats.streaming, ==, 1);
  g_assert_cmpuint (stats.initial_events_sent, >, 0);
  g_assert_cmpuint (stats.initial_events_sent, <, before->len);

  /* Changes while the initial state is still going out come after it. */
  ph_sim_server_churn_steps (f->server, 300);
  ph_sim_server_get_watch_stats (f->server, &stats);
  g_assert_cmpuint (stats.streaming, ==, 1);
  final_rv = ph_sim_server_get_resource_version (f->server);
  g_assert_cmpuint (final_rv, >, start_rv);

  for (;;)
    {
      g_autoptr(JsonNode) node = stream_next (&s);
      JsonObject *event;
      char *key;
      char *line;

      g_assert_nonnull (node);
      event = json_node_get_object (node);
      if (g_str_equal (member_string (event, "type"), "BOOKMARK"))
        {
          g_assert_true (is_initial_events_end (event));
          /* The version the snapshot reflects, not the newer one. */
          g_assert_cmpuint (event_rv (event), ==, start_rv);
          break;
        }
      g_assert_cmpstr (member_string (event, "type"), ==, "ADDED");
      g_assert_cmpuint (event_rv (event), <=, start_rv);
      line = event_line (event, &key);
      g_hash_table_replace (state, key, line);
    }
  /* Exactly the state when the watch started. */
  assert_same_lines (state, before);

  /* Then every change, once, in order; a bookmark at the final version
   * says all of them came. */
  ph_sim_server_bookmark_watches (f->server);
  last_rv = start_rv;
  for (;;)
    {
      g_autoptr(JsonNode) node = stream_next (&s);
      g_autofree char *key = NULL;
      g_autofree char *line = NULL;
      JsonObject *event;
      const char *type;

      g_assert_nonnull (node);
      event = json_node_get_object (node);
      type = member_string (event, "type");
      if (g_str_equal (type, "BOOKMARK"))
        {
          g_assert_false (is_initial_events_end (event));
          g_assert_cmpuint (event_rv (event), ==, final_rv);
          break;
        }

      g_assert_cmpuint (event_rv (event), >, last_rv);
      g_assert_cmpuint (event_rv (event), <=, final_rv);
      last_rv = event_rv (event);
      line = event_line (event, &key);
      if (g_str_equal (type, "ADDED"))
        g_assert_false (g_hash_table_contains (state, key));
      else
        g_assert_true (g_hash_table_contains (state, key));
      if (g_str_equal (type, "DELETED"))
        g_hash_table_remove (state, key);
      else
        g_hash_table_replace (state, g_steal_pointer (&key), g_steal_pointer (&line));
      changes++;
    }
  g_assert_cmpuint (changes, >, 0);

  after = ph_sim_server_snapshot (f->server, "pods", NULL);
  assert_same_lines (state, after);

  ph_sim_server_get_watch_stats (f->server, &stats);
  g_assert_cmpuint (stats.streaming, ==, 0);
  ph_sim_server_drop_watches (f->server);
  stream_close (&s);
}

/* Opens a raw HTTP/1.1 watch and reads until its first event. */
static GSocketConnection *
raw_watch_open (Fixture    *f,
                const char *path,
                GString    *received)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
  GSocketConnection *connection;
  GInputStream *in;
  char buffer[4096];

  connection = g_socket_client_connect_to_uri (client, f->url, 80, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while (strstr (received->str, "\"type\":\"ADDED\"") == NULL)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (received, buffer, n);
    }

  return connection;
}

static void
test_watch_initial_interrupted (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GSocketConnection) gone = NULL;
  g_autoptr(GSocketConnection) dropped = NULL;
  g_autoptr(GString) received = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  PhSimWatchStats stats;
  char buffer[65536];
  gssize n;

  /* A client that goes away mid-stream leaves no watcher behind. */
  gone = raw_watch_open (f, INITIAL_WATCH, received);
  ph_sim_server_get_watch_stats (f->server, &stats);
  g_assert_cmpuint (stats.streaming, ==, 1);
  g_io_stream_close (G_IO_STREAM (gone), NULL, NULL);
  do
    {
      g_usleep (10000);
      /* Changes must not reach the finished message either. */
      ph_sim_server_churn_steps (f->server, 5);
      ph_sim_server_get_watch_stats (f->server, &stats);
    }
  while (stats.watches > 0 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (stats.watches, ==, 0);
  g_assert_cmpuint (stats.streaming, ==, 0);

  /* Dropping watches mid-stream ends the body cleanly, without the
   * rest of the state and without the initial-events-end bookmark. */
  g_string_truncate (received, 0);
  dropped = raw_watch_open (f, INITIAL_WATCH, received);
  ph_sim_server_drop_watches (f->server);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (dropped)),
                                   buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (received, buffer, n);
  g_assert_true (g_str_has_prefix (received->str, "HTTP/1.1 200"));
  g_assert_true (g_str_has_suffix (received->str, "\r\n0\r\n\r\n"));
  g_assert_null (strstr (received->str, "initial-events-end"));
  ph_sim_server_get_watch_stats (f->server, &stats);
  g_assert_cmpuint (stats.streaming, ==, 0);
}

static void
test_watch_initial_websocket (Fixture       *f,
                              gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  PhSimWatchStats stats;
  WsState state;
  guint added = 0;
  gboolean ended = FALSE;

  ws_connect (f, &state, INITIAL_WATCH, "http://localhost", NULL);
  g_assert_no_error (state.error);

  while (!ended && !state.closed && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      while (!ended && state.frames->len > 0)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autofree char *frame = g_ptr_array_steal_index (state.frames, 0);
          g_autoptr(GError) error = NULL;
          JsonObject *event;

          g_assert_true (json_parser_load_from_data (parser, frame, -1, &error));
          event = json_node_get_object (json_parser_get_root (parser));
          if (g_str_equal (member_string (event, "type"), "BOOKMARK"))
            {
              g_assert_true (is_initial_events_end (event));
              ended = TRUE;
            }
          else
            {
              g_assert_cmpstr (member_string (event, "type"), ==, "ADDED");
              added++;
            }
        }
    }
  g_assert_true (ended);
  g_assert_cmpuint (added, ==, 20000);

  ph_sim_server_get_watch_stats (f->server, &stats);
  g_assert_cmpuint (stats.streaming, ==, 0);
  ph_sim_server_drop_watches (f->server);
  ws_state_clear (&state);
}

/* Auth, TLS and faults. */

/* The kinds beyond the workloads. */

typedef struct {
  const char *group_version;   /* the discovery path */
  const char *resource;
  const char *kind;
  gboolean    namespaced;
  const char *short_name;      /* or NULL */
  gboolean    in_all;          /* in the "all" category */
  const char *columns;         /* the Table's columns of priority 0 */
} ExtraKind;

static const ExtraKind extra_kinds[] = {
  { "/apis/apps/v1", "statefulsets", "StatefulSet", TRUE, "sts", TRUE, "Name,Ready,Age" },
  { "/apis/apps/v1", "daemonsets", "DaemonSet", TRUE, "ds", TRUE,
    "Name,Desired,Current,Ready,Up-to-date,Available,Node Selector,Age" },
  { "/apis/batch/v1", "jobs", "Job", TRUE, NULL, TRUE, "Name,Completions,Duration,Age" },
  { "/apis/batch/v1", "cronjobs", "CronJob", TRUE, "cj", TRUE,
    "Name,Schedule,Suspend,Active,Last Schedule,Age" },
  { "/apis/networking.k8s.io/v1", "ingresses", "Ingress", TRUE, "ing", FALSE,
    "Name,Class,Hosts,Address,Ports,Age" },
  { "/apis/discovery.k8s.io/v1", "endpointslices", "EndpointSlice", TRUE, NULL, FALSE,
    "Name,AddressType,Ports,Endpoints,Age" },
  { "/api/v1", "secrets", "Secret", TRUE, NULL, FALSE, "Name,Type,Data,Age" },
  { "/api/v1", "persistentvolumeclaims", "PersistentVolumeClaim", TRUE, "pvc", FALSE,
    "Name,Status,Volume,Capacity,Access Modes,StorageClass,Age" },
  { "/api/v1", "persistentvolumes", "PersistentVolume", FALSE, "pv", FALSE,
    "Name,Capacity,Access Modes,Reclaim Policy,Status,Claim,StorageClass,Reason,Age" },
  { "/apis/storage.k8s.io/v1", "storageclasses", "StorageClass", FALSE, "sc", FALSE,
    "Name,Provisioner,ReclaimPolicy,VolumeBindingMode,AllowVolumeExpansion,Age" },
};

static gboolean
has_string (JsonObject *object,
            const char *member,
            const char *value)
{
  JsonArray *array = json_object_get_array_member (object, member);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static char *
priority_zero_columns (JsonNode *table)
{
  JsonArray *columns = json_object_get_array_member (json_node_get_object (table), "columnDefinitions");
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);

      if (json_object_get_int_member (column, "priority") != 0)
        continue;
      g_string_append_printf (names, "%s%s", names->len > 0 ? "," : "",
                              json_object_get_string_member (column, "name"));
    }

  return g_string_free (names, FALSE);
}

static void
test_extra_kinds (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) groups = NULL;
  const char *const new_groups[] = { "batch", "networking.k8s.io", "discovery.k8s.io", "storage.k8s.io" };

  g_assert_cmpuint (get_json (f, "/apis", &groups), ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (new_groups); i++)
    {
      g_autoptr(JsonNode) group = NULL;
      g_autofree char *path = g_strdup_printf ("/apis/%s", new_groups[i]);
      g_autofree char *group_version = g_strdup_printf ("%s/v1", new_groups[i]);

      g_assert_nonnull (named (groups, "groups", new_groups[i]));
      g_assert_cmpuint (get_json (f, path, &group), ==, 200);
      g_assert_cmpstr (string_at (group, "$.preferredVersion.groupVersion"), ==, group_version);
    }

  for (guint i = 0; i < G_N_ELEMENTS (extra_kinds); i++)
    {
      const ExtraKind *k = &extra_kinds[i];
      g_autoptr(JsonNode) discovery = NULL;
      g_autoptr(JsonNode) list = NULL;
      g_autoptr(JsonNode) table = NULL;
      g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (f->server, k->resource, NULL);
      g_autofree char *path = g_strdup_printf ("%s/%s", k->group_version, k->resource);
      g_autofree char *in_namespace = g_strdup_printf ("%s/namespaces/default/%s", k->group_version, k->resource);
      g_autofree char *list_kind = g_strdup_printf ("%sList", k->kind);
      g_autofree char *columns = NULL;
      JsonObject *resource;
      JsonArray *items;

      g_test_message ("%s", k->resource);
      g_assert_cmpuint (get_json (f, k->group_version, &discovery), ==, 200);
      resource = named (discovery, "resources", k->resource);
      g_assert_nonnull (resource);
      g_assert_cmpstr (json_object_get_string_member (resource, "kind"), ==, k->kind);
      g_assert_cmpint (json_object_get_boolean_member (resource, "namespaced"), ==, k->namespaced);
      g_assert_true (has_string (resource, "verbs", "list"));
      g_assert_true (has_string (resource, "verbs", "watch"));
      if (k->short_name != NULL)
        g_assert_true (has_string (resource, "shortNames", k->short_name));
      else
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resource, "shortNames")), ==, 0);
      g_assert_cmpint (has_string (resource, "categories", "all"), ==, k->in_all);

      /* Listed across namespaces, as kubectl get -A does. */
      g_assert_cmpuint (truth->len, >, 0);
      g_assert_cmpuint (get_json (f, path, &list), ==, 200);
      g_assert_cmpstr (string_at (list, "$.kind"), ==, list_kind);
      items = json_object_get_array_member (json_node_get_object (list), "items");
      g_assert_cmpuint (json_array_get_length (items), ==, truth->len);
      for (guint j = 0; j < json_array_get_length (items); j++)
        {
          JsonObject *item = json_array_get_object_element (items, j);
          JsonObject *meta = json_object_get_object_member (item, "metadata");

          g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, k->kind);
          g_assert_cmpint (json_object_has_member (meta, "namespace"), ==, k->namespaced);
        }

      g_assert_cmpuint (request_json (f, "GET", path, TABLE_ACCEPT, NULL, &table), ==, 200);
      columns = priority_zero_columns (table);
      g_assert_cmpstr (columns, ==, k->columns);
      g_assert_cmpuint (count_at (table, "rows"), ==, truth->len);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
          json_array_get_object_element (json_object_get_array_member (json_node_get_object (table), "rows"), 0),
          "cells")), ==, json_array_get_length (json_object_get_array_member (json_node_get_object (table),
                                                                              "columnDefinitions")));

      /* A cluster-scoped kind has no namespaced path. */
      g_assert_cmpuint (get_json (f, in_namespace, NULL), ==, k->namespaced ? 200 : 404);
    }
}

static guint
count_items_where (JsonNode   *list,
                   const char *member,
                   const char *value)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (items, i),
                                                               member, NULL), value) == 0)
      n++;
  return n;
}

static void
test_extra_kinds_select (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) secrets = ph_sim_server_snapshot (f->server, "secrets", NULL);
  g_autoptr(GPtrArray) ingresses = ph_sim_server_snapshot (f->server, "ingresses", NULL);
  g_autoptr(GPtrArray) services = ph_sim_server_snapshot (f->server, "services", NULL);
  g_autoptr(GPtrArray) slices = ph_sim_server_snapshot (f->server, "endpointslices", NULL);
  g_autoptr(JsonNode) tls = NULL;
  g_autoptr(JsonNode) opaque = NULL;
  g_autoptr(JsonNode) not_opaque = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) table = NULL;
  g_autoptr(JsonNode) slice = NULL;
  g_autoptr(JsonNode) storage = NULL;
  g_autoptr(JsonNode) exact = NULL;
  g_autofree char *token = NULL;
  g_autofree char *service_ns = NULL;
  g_autofree char *slice_path = NULL;
  g_autofree char *exact_path = NULL;
  g_auto(GStrv) service = g_strsplit (services->pdata[0], " ", -1);
  g_auto(GStrv) service_key = g_strsplit (service[0], "/", 2);
  guint64 rv;

  /* Paged two at a time, every Secret once. */
  do
    {
      g_autoptr(JsonNode) page = NULL;
      g_autofree char *escaped = token ? g_uri_escape_string (token, NULL, TRUE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/secrets?limit=2%s%s", token ? "&continue=" : "",
                                               token ? escaped : "");
      JsonArray *items;

      g_assert_cmpuint (get_json (f, path, &page), ==, 200);
      items = json_object_get_array_member (json_node_get_object (page), "items");
      g_assert_cmpuint (json_array_get_length (items), <=, 2);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *meta = json_object_get_object_member (json_array_get_object_element (items, i), "metadata");

          g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%s/%s",
                                                                  json_object_get_string_member (meta, "namespace"),
                                                                  json_object_get_string_member (meta, "name"))));
        }
      g_clear_pointer (&token, g_free);
      token = g_strdup (string_at (page, "$.metadata.continue"));
    }
  while (token != NULL);
  g_assert_cmpuint (g_hash_table_size (seen), ==, secrets->len);
  /* Two to four in each of the three namespaces. */
  g_assert_cmpuint (secrets->len, >=, 6);
  g_assert_cmpuint (secrets->len, <=, 12);

  /* The field selector the API server supports on Secrets. */
  g_assert_cmpuint (get_json (f, "/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls", &tls), ==, 200);
  g_assert_cmpuint (count_at (tls, "items"), ==, ingresses->len);
  g_assert_cmpuint (count_items_where (tls, "type", "kubernetes.io/tls"), ==, count_at (tls, "items"));
  g_assert_cmpuint (get_json (f, "/api/v1/secrets?fieldSelector=type%3DOpaque", &opaque), ==, 200);
  g_assert_cmpuint (count_at (opaque, "items"), ==, 3);
  g_assert_cmpuint (get_json (f, "/api/v1/secrets?fieldSelector=type!%3DOpaque", &not_opaque), ==, 200);
  g_assert_cmpuint (count_at (not_opaque, "items"), ==, secrets->len - 3);
  g_assert_cmpuint (count_items_where (not_opaque, "type", "Opaque"), ==, 0);
  g_assert_cmpuint (get_json (f, "/api/v1/secrets?fieldSelector=data%3D1", &bad), ==, 400);
  g_assert_cmpstr (string_at (bad, "$.reason"), ==, "BadRequest");

  g_assert_cmpuint (request_json (f, "GET", "/api/v1/namespaces/default/secrets", TABLE_ACCEPT, NULL, &table), ==, 200);
  g_assert_cmpuint (count_at (table, "rows"), >=, 2);
  g_assert_nonnull (string_at (table, "$.rows[0].cells[1]"));

  /* One EndpointSlice per Service, found by the service-name label. */
  g_assert_cmpuint (slices->len, ==, services->len);
  slice_path = g_strdup_printf ("/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices"
                                "?labelSelector=kubernetes.io%%2Fservice-name%%3D%s",
                                service_key[0], service_key[1]);
  g_assert_cmpuint (get_json (f, slice_path, &slice), ==, 200);
  g_assert_cmpuint (count_at (slice, "items"), ==, 1);
  g_assert_cmpstr (string_at (slice, "$.items[0].metadata.ownerReferences[0].uid"), ==, service[1]);
  g_assert_cmpstr (string_at (slice, "$.items[0].addressType"), ==, "IPv4");

  /* One default StorageClass, by annotation. */
  g_assert_cmpuint (get_json (f, "/apis/storage.k8s.io/v1/storageclasses", &storage), ==, 200);
  g_assert_cmpuint (count_at (storage, "items"), ==, 2);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (storage), "items");
    guint defaults = 0;

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *meta = json_object_get_object_member (json_array_get_object_element (items, i), "metadata");
        JsonObject *annotations = json_object_has_member (meta, "annotations")
                                  ? json_object_get_object_member (meta, "annotations") : NULL;

        if (annotations != NULL &&
            g_strcmp0 (json_object_get_string_member_with_default (annotations,
                                                                   "storageclass.kubernetes.io/is-default-class",
                                                                   NULL), "true") == 0)
          {
            g_assert_cmpstr (json_object_get_string_member (meta, "name"), ==, "standard");
            defaults++;
          }
      }
    g_assert_cmpuint (defaults, ==, 1);
  }

  /* Exact lists of an older version see the Jobs as they were. */
  rv = ph_sim_server_get_resource_version (f->server);
  {
    g_autoptr(GPtrArray) jobs_before = ph_sim_server_snapshot (f->server, "jobs", NULL);

    ph_sim_server_churn_steps (f->server, 120);
    exact_path = g_strdup_printf ("/apis/batch/v1/jobs?resourceVersion=%" G_GUINT64_FORMAT
                                  "&resourceVersionMatch=Exact", rv);
    g_assert_cmpuint (get_json (f, exact_path, &exact), ==, 200);
    g_assert_cmpuint (count_at (exact, "items"), ==, jobs_before->len);
  }
}

/* Reads a watch to its end (timeoutSeconds); counts events by type. */
static guint
watch_count (Fixture    *f,
             const char *path,
             const char *kind,
             guint      *added,
             guint      *modified,
             guint      *deleted)
{
  Stream s;
  guint total = 0;

  *added = *modified = *deleted = 0;
  stream_open (f, &s, path);
  for (;;)
    {
      g_autoptr(JsonNode) event = stream_next (&s);
      g_autofree char *type = NULL;

      if (event == NULL)
        break;
      /* string_at() reuses its buffer. */
      type = g_strdup (string_at (event, "$.type"));
      if (g_str_equal (type, "BOOKMARK"))
        continue;
      g_assert_cmpstr (type, !=, "ERROR");
      g_assert_cmpstr (string_at (event, "$.object.kind"), ==, kind);
      if (g_str_equal (type, "ADDED"))
        (*added)++;
      else if (g_str_equal (type, "MODIFIED"))
        (*modified)++;
      else
        {
          g_assert_cmpstr (type, ==, "DELETED");
          (*deleted)++;
        }
      total++;
    }
  stream_close (&s);

  return total;
}

static void
test_extra_kinds_watch (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) secrets = ph_sim_server_snapshot (f->server, "secrets", "default");
  g_autoptr(GPtrArray) volumes = ph_sim_server_snapshot (f->server, "persistentvolumes", NULL);
  g_autoptr(JsonNode) tls = NULL;
  g_autofree char *jobs_path = NULL;
  g_autofree char *cronjobs_path = NULL;
  guint added, modified, deleted;
  guint64 rv;
  Stream s;

  /* Secrets of one namespace: their initial events, then a bookmark. */
  stream_open (f, &s, "/api/v1/namespaces/default/secrets?watch=1&sendInitialEvents=true"
               "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=30");
  added = 0;
  for (;;)
    {
      g_autoptr(JsonNode) event = stream_next (&s);

      g_assert_nonnull (event);
      if (g_str_equal (string_at (event, "$.type"), "BOOKMARK"))
        break;
      g_assert_cmpstr (string_at (event, "$.type"), ==, "ADDED");
      g_assert_cmpstr (string_at (event, "$.object.kind"), ==, "Secret");
      g_assert_cmpstr (string_at (event, "$.object.metadata.namespace"), ==, "default");
      g_assert_nonnull (string_at (event, "$.object.type"));
      added++;
    }
  g_assert_cmpuint (added, ==, secrets->len);
  ph_sim_server_drop_watches (f->server);
  while (TRUE)
    {
      g_autoptr(JsonNode) event = stream_next (&s);
      if (event == NULL)
        break;
    }
  stream_close (&s);

  /* A field selector on a watch. */
  g_assert_cmpuint (get_json (f, "/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls", &tls), ==, 200);
  g_assert_cmpuint (watch_count (f, "/api/v1/secrets?watch=1&fieldSelector=type%3Dkubernetes.io%2Ftls"
                                 "&timeoutSeconds=1", "Secret", &added, &modified, &deleted),
                    ==, count_at (tls, "items"));

  /* A cluster-scoped kind. */
  g_assert_cmpuint (watch_count (f, "/api/v1/persistentvolumes?watch=1&timeoutSeconds=1",
                                 "PersistentVolume", &added, &modified, &deleted), ==, volumes->len);
  g_assert_cmpuint (added, ==, volumes->len);

  /* The CronJobs run Jobs as the cluster churns: they start, finish,
   * and the oldest runs go. */
  rv = ph_sim_server_get_resource_version (f->server);
  ph_sim_server_churn_steps (f->server, 120);
  jobs_path = g_strdup_printf ("/apis/batch/v1/jobs?watch=1&resourceVersion=%" G_GUINT64_FORMAT
                               "&timeoutSeconds=1", rv);
  watch_count (f, jobs_path, "Job", &added, &modified, &deleted);
  g_assert_cmpuint (added, >=, 2);
  g_assert_cmpuint (modified, >=, 2);
  g_assert_cmpuint (deleted, >=, 1);
  cronjobs_path = g_strdup_printf ("/apis/batch/v1/cronjobs?watch=1&resourceVersion=%" G_GUINT64_FORMAT
                                   "&timeoutSeconds=1", rv);
  watch_count (f, cronjobs_path, "CronJob", &added, &modified, &deleted);
  g_assert_cmpuint (added, ==, 0);
  g_assert_cmpuint (modified, >=, 4);
  g_assert_cmpuint (deleted, ==, 0);
}

static const Config token_config = { 30, 0, 0, "s3cret", FALSE, FALSE };

static void
test_token (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) denied = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (get_json (f, "/api/v1/pods", &denied), ==, 401);
  g_assert_cmpstr (string_at (denied, "$.kind"), ==, "Status");
  g_assert_cmpstr (string_at (denied, "$.reason"), ==, "Unauthorized");

  msg = new_message (f, "GET", "/api/v1/pods");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer s3cret");
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static const Config cert_config = { 30, 0, 0, NULL, TRUE, TRUE };

static void
test_tls_client_cert (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *ca_pem = ph_sim_server_get_ca_pem (f->server);
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GTlsCertificate) ca = NULL;
  g_autoptr(GTlsCertificate) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) without = NULL;
  g_autoptr(SoupMessage) with = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *kubeconfig = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;

  g_assert_true (g_str_has_prefix (f->url, "https://127.0.0.1:"));
  g_assert_true (ph_sim_server_get_client_cert (f->server, &cert_pem, &key_pem));
  ca = g_tls_certificate_new_from_pem (ca_pem, -1, &error);
  g_assert_no_error (error);
  both = g_strconcat (cert_pem, key_pem, NULL);
  client = g_tls_certificate_new_from_pem (both, -1, &error);
  g_assert_no_error (error);

  /* Without a client certificate the handshake fails. */
  without = new_message (f, "GET", "/api/v1/namespaces");
  g_signal_connect (without, "accept-certificate", G_CALLBACK (accept_any_certificate), ca);
  body = soup_session_send_and_read (f->session, without, NULL, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_pointer (&body, g_bytes_unref);

  with = new_message (f, "GET", "/api/v1/namespaces");
  g_signal_connect (with, "accept-certificate", G_CALLBACK (accept_any_certificate), ca);
  soup_message_set_tls_client_certificate (with, client);
  body = soup_session_send_and_read (f->session, with, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (with), ==, 200);

  /* The kubeconfig carries the CA and the client certificate. */
  dir = g_dir_make_tmp ("sim-kubeconfig-XXXXXX", &error);
  g_assert_no_error (error);
  kubeconfig = g_build_filename (dir, "config", NULL);
  g_assert_true (ph_sim_server_write_kubeconfig (f->server, kubeconfig, "tls-sim", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (kubeconfig, &text, NULL, &error));
  g_assert_nonnull (strstr (text, "certificate-authority-data"));
  g_assert_nonnull (strstr (text, "client-key-data"));
  g_assert_nonnull (strstr (text, f->url));
  g_unlink (kubeconfig);
  g_rmdir (dir);
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) failed = NULL;
  g_autoptr(JsonNode) state = NULL;
  gint64 start;

  ph_sim_server_fail_next (f->server, 2, 500);
  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=1", &failed), ==, 500);
  g_assert_cmpstr (string_at (failed, "$.kind"), ==, "Status");
  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=1", NULL), ==, 500);
  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=1", NULL), ==, 200);

  control (f, "{\"action\":\"fail-next\",\"n\":1,\"status\":429}");
  {
    g_autoptr(SoupMessage) msg = new_message (f, "GET", "/api/v1/pods?limit=1");
    g_autoptr(GBytes) body = soup_session_send_and_read (f->session, msg, NULL, NULL);

    /* Clients back off as long as the apiserver tells them to. */
    g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"), ==, "1");
  }
  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=1", NULL), ==, 200);

  /* Latency delays answers (a lower bound only: no upper bound is safe). */
  control (f, "{\"action\":\"latency\",\"ms\":300}");
  start = g_get_monotonic_time ();
  g_assert_cmpuint (get_json (f, "/api/v1/pods?limit=1", NULL), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  control (f, "{\"action\":\"latency\",\"ms\":0}");

  control (f, "{\"action\":\"churn-steps\",\"n\":10}");
  g_assert_cmpuint (get_json (f, "/porthole-sim/v1/control", &state), ==, 200);
  g_assert_cmpuint (g_ascii_strtoull (string_at (state, "$.resourceVersion"), NULL, 10), ==,
                    ph_sim_server_get_resource_version (f->server));
  g_assert_cmpuint (request_json (f, "POST", "/porthole-sim/v1/control", NULL, "{\"action\":\"explode\"}", NULL), ==, 400);
}

static void
test_churn_rate (Fixture       *f,
                 gconstpointer  data)
{
  guint64 rv = ph_sim_server_get_resource_version (f->server);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  ph_sim_server_set_churn (f->server, 50);
  while (ph_sim_server_get_resource_version (f->server) < rv + 20 && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  ph_sim_server_set_churn (f->server, 0);
  g_assert_cmpuint (ph_sim_server_get_resource_version (f->server), >=, rv + 20);
}

static void
test_kubeconfig_merge (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sim-merge-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "config", NULL);
  g_autofree char *yaml = g_build_filename (dir, "config.yaml", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  g_assert_no_error (error);
  g_assert_true (ph_sim_server_write_kubeconfig (f->server, path, "first", &error));
  g_assert_no_error (error);
  g_assert_true (ph_sim_server_write_kubeconfig (f->server, path, "second", &error));
  g_assert_no_error (error);
  /* Writing a context again replaces it rather than adding a copy. */
  g_assert_true (ph_sim_server_write_kubeconfig (f->server, path, "first", &error));
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_cmpstr (string_at (root, "$.current-context"), ==, "first");
  g_assert_cmpuint (count_at (root, "contexts"), ==, 2);
  g_assert_cmpuint (count_at (root, "clusters"), ==, 2);
  g_assert_cmpuint (count_at (root, "users"), ==, 2);
  g_assert_nonnull (named (root, "contexts", "second"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
      named (root, "clusters", "second"), "cluster"), "server"), ==, f->url);

  /* A kubeconfig in YAML is not ours to rewrite. */
  g_assert_true (g_file_set_contents (yaml, "apiVersion: v1\nkind: Config\n", -1, NULL));
  g_assert_false (ph_sim_server_write_kubeconfig (f->server, yaml, "third", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "JSON"));
  g_assert_nonnull (strstr (error->message, yaml));
  g_clear_error (&error);

  /* Something that cannot be read is not replaced. */
  g_assert_false (ph_sim_server_write_kubeconfig (f->server, dir, "fourth", &error));
  g_assert_nonnull (error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  g_unlink (path);
  g_unlink (yaml);
  g_rmdir (dir);
}

/* Statuses kubectl shows, from the Table rows of all pods. */
static void
count_pod_statuses (Fixture    *f,
                    GHashTable *seen)
{
  g_autoptr(JsonNode) table = NULL;
  JsonArray *rows;

  g_assert_cmpuint (request_json (f, "GET", "/api/v1/pods", TABLE_ACCEPT, NULL, &table), ==, 200);
  rows = json_object_get_array_member (json_node_get_object (table), "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonArray *cells = json_object_get_array_member (json_array_get_object_element (rows, i), "cells");
      const char *ready = json_array_get_string_element (cells, 1);
      const char *status = json_array_get_string_element (cells, 2);
      guint have, want;

      g_assert_cmpint (sscanf (ready, "%u/%u", &have, &want), ==, 2);
      g_assert_cmpuint (have, <=, want);
      g_assert_cmpuint (want, >=, 1);
      g_assert_cmpuint (want, <=, 2);
      if (g_str_equal (status, "Init:0/1"))
        g_assert_cmpuint (have, ==, 0);
      if (g_str_equal (status, "Running"))
        g_assert_cmpuint (have, ==, want);
      g_hash_table_add (seen, g_strdup (status));
      g_hash_table_add (seen, g_strdup_printf ("ready %s", ready));
    }
}

static void
test_pod_lifecycle (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) terminating = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GPtrArray) truth = NULL;
  g_autoptr(JsonNode) inits = NULL;
  g_autofree char *path = NULL;
  guint64 rv = ph_sim_server_get_resource_version (f->server);
  guint graceful = 0, initialized = 0, with_init = 0;
  Stream s;

  /* A freshly made cluster: single and multi-container pods, all ready. */
  count_pod_statuses (f, seen);
  g_assert_true (g_hash_table_contains (seen, "ready 1/1"));
  g_assert_true (g_hash_table_contains (seen, "ready 2/2"));
  g_assert_true (g_hash_table_contains (seen, "Running"));

  /* Churn step by step until kubectl would have shown an init container
   * at work, a pod being deleted, and a multi-container pod half ready. */
  for (guint i = 0; i < 600; i++)
    {
      if (g_hash_table_contains (seen, "Init:0/1") && g_hash_table_contains (seen, "Terminating") &&
          g_hash_table_contains (seen, "ready 0/2") && g_hash_table_contains (seen, "ready 1/2"))
        break;
      ph_sim_server_churn_steps (f->server, 1);
      count_pod_statuses (f, seen);
    }
  g_assert_true (g_hash_table_contains (seen, "Init:0/1"));
  g_assert_true (g_hash_table_contains (seen, "Terminating"));
  g_assert_true (g_hash_table_contains (seen, "ready 0/2"));
  g_assert_true (g_hash_table_contains (seen, "ready 1/2"));

  /* The watch tells the same story: deletionTimestamp in a MODIFIED
   * event, then DELETED; Pending with a running init container, then
   * Running. */
  path = g_strdup_printf ("/api/v1/pods?watch=1&resourceVersion=%" G_GUINT64_FORMAT "&timeoutSeconds=1", rv);
  stream_open (f, &s, path);
  for (;;)
    {
      g_autoptr(JsonNode) event = stream_next (&s);
      g_autofree char *uid = NULL;
      g_autofree char *type = NULL;
      g_autofree char *phase = NULL;

      if (event == NULL)
        break;
      /* string_at() answers in one static buffer. */
      type = g_strdup (string_at (event, "$.type"));
      uid = g_strdup (string_at (event, "$.object.metadata.uid"));
      phase = g_strdup (string_at (event, "$.object.status.phase"));

      if (g_str_equal (type, "MODIFIED") && string_at (event, "$.object.metadata.deletionTimestamp") != NULL)
        {
          g_assert_cmpstr (string_at (event, "$.object.metadata.deletionGracePeriodSeconds"), ==, "30");
          g_hash_table_add (terminating, g_strdup (uid));
        }
      else if (g_str_equal (type, "DELETED") && g_hash_table_contains (terminating, uid))
        graceful++;
      else if (g_str_equal (type, "ADDED") && g_str_equal (phase, "Pending"))
        {
          g_assert_cmpstr (string_at (event, "$.object.status.initContainerStatuses[0].state.running.startedAt"), !=, NULL);
          g_assert_cmpstr (string_at (event, "$.object.status.containerStatuses[0].state.waiting.reason"), ==, "PodInitializing");
          g_hash_table_add (pending, g_strdup (uid));
        }
      else if (g_str_equal (type, "MODIFIED") && g_str_equal (phase, "Running") &&
               g_hash_table_remove (pending, uid))
        {
          g_assert_cmpstr (string_at (event, "$.object.status.initContainerStatuses[0].state.terminated.reason"), ==, "Completed");
          initialized++;
        }
    }
  stream_close (&s);
  g_assert_cmpuint (graceful, >, 0);
  g_assert_cmpuint (initialized, >, 0);

  /* The truth counts terminating pods, as a LIST does. */
  truth = ph_sim_server_snapshot (f->server, "pods", NULL);
  g_assert_cmpuint (request_json (f, "GET", "/api/v1/pods", NULL, NULL, &list), ==, 200);
  g_assert_cmpuint (count_at (list, "items"), ==, truth->len);
  inits = json_path_query ("$.items[*].spec.initContainers", list, NULL);
  with_init = json_array_get_length (json_node_get_array (inits));
  g_assert_cmpuint (with_init, >, 0);
  g_assert_cmpuint (with_init, <, truth->len);
}

static void
test_port_in_use (Fixture       *f,
                  gconstpointer  data)
{
  /* The failing start used to race with its own thread and could wait
   * forever; a few rounds make that likely to show. */
  for (guint i = 0; i < 5; i++)
    {
      PhSimOptions options;
      g_autoptr(PhSimServer) other = NULL;
      g_autoptr(GError) error = NULL;

      ph_sim_options_init (&options);
      options.pods = 5;
      options.port = ph_sim_server_get_port (f->server);
      other = ph_sim_server_new (&options);
      g_assert_false (ph_sim_server_start (other, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
    }

  /* The first server still answers. */
  g_assert_cmpuint (request_json (f, "GET", "/version", NULL, NULL, NULL), ==, 200);
}

static gboolean
stall_thread (gpointer data)
{
  g_usleep (400 * 1000);
  return G_SOURCE_REMOVE;
}

static void
test_stop_during_churn (void)
{
  PhSimOptions options;
  g_autoptr(PhSimServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSource *source;

  ph_sim_options_init (&options);
  options.pods = 50;
  options.churn = 100;
  server = ph_sim_server_new (&options);
  g_assert_true (ph_sim_server_start (server, &error));
  g_assert_no_error (error);

  /* While the server's thread sleeps, its churn timer comes due; the stop
   * request, of higher priority, is dispatched first, so the teardown
   * finds the churn tick pending.  It must not run against freed state. */
  source = g_idle_source_new ();
  g_source_set_callback (source, stall_thread, NULL, NULL);
  g_source_attach (source, server->context);
  g_source_unref (source);
  g_usleep (100 * 1000);
  ph_sim_server_stop (server);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_demo_clusters (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sim-demo-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sub", "kubeconfig", NULL);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autoptr(GPtrArray) servers = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  g_autoptr(GPtrArray) small = NULL;

  g_assert_no_error (error);
  servers = ph_sim_start_demo_clusters (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (servers->len, ==, 3);

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_cmpstr (string_at (root, "$.current-context"), ==, "demo-small");
  g_assert_cmpstr (string_at (root, "$.contexts[2].name"), ==, "demo-large");
  g_assert_cmpstr (string_at (root, "$.contexts[0].context.namespace"), ==, "default");

  small = ph_sim_server_snapshot (servers->pdata[0], "pods", NULL);
  g_assert_cmpuint (small->len, ==, 60);

  for (guint i = 0; i < servers->len; i++)
    ph_sim_server_stop (servers->pdata[i]);
  g_clear_pointer (&servers, g_ptr_array_unref);

  g_unlink (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, config) \
  g_test_add ("/porthole/sim-server/" path, Fixture, config, fixture_setup, func, fixture_teardown)

  ADD ("discovery", test_discovery, NULL);
  ADD ("crd-printer-columns", test_crd_printer_columns, NULL);
  ADD ("list-pages", test_list_pages, NULL);
  ADD ("continue-expired", test_continue_expired, NULL);
  ADD ("continue-ttl", test_continue_ttl, &short_ttl);
  ADD ("resource-version", test_resource_version_semantics, NULL);
  ADD ("selectors", test_selectors, NULL);
  ADD ("table", test_table, NULL);
  ADD ("watch-replay-and-live", test_watch_replay_and_live, NULL);
  ADD ("watch-expired-410", test_watch_expired, NULL);
  ADD ("watch-initial-events", test_watch_initial_events, NULL);
  ADD ("watch-selector-delete", test_watch_selector_transitions, NULL);
  ADD ("watch-websocket", test_watch_websocket, NULL);
  ADD ("watch-table", test_watch_table, NULL);
  ADD ("watch-cut", test_watch_cut, NULL);
  ADD ("watch-websocket-cut", test_watch_websocket_cut, NULL);
  ADD ("watch-initial-streams", test_watch_initial_streams, &large_config);
  ADD ("watch-initial-interrupted", test_watch_initial_interrupted, &large_config);
  ADD ("watch-initial-websocket", test_watch_initial_websocket, &large_config);
  ADD ("extra-kinds", test_extra_kinds, NULL);
  ADD ("extra-kinds-select", test_extra_kinds_select, NULL);
  ADD ("extra-kinds-watch", test_extra_kinds_watch, NULL);
  ADD ("token", test_token, &token_config);
  ADD ("tls-client-cert", test_tls_client_cert, &cert_config);
  ADD ("faults", test_faults, NULL);
  ADD ("churn-rate", test_churn_rate, NULL);
  ADD ("kubeconfig-merge", test_kubeconfig_merge, NULL);
  ADD ("pod-lifecycle", test_pod_lifecycle, NULL);
  ADD ("port-in-use", test_port_in_use, NULL);
  g_test_add_func ("/porthole/sim-server/stop-during-churn", test_stop_during_churn);
  g_test_add_func ("/porthole/sim-server/demo-clusters", test_demo_clusters);

  return g_test_run ();
}
