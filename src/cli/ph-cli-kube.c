/* ph-cli-kube.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ph-cli-commands.h"
#include "ph-cluster.h"
#include "ph-kube-error.h"
#include "ph-kubeconfig.h"
#include "ph-list-cache.h"
#include "ph-object.h"
#include "ph-query.h"
#include "ph-watch-hub.h"

/* `get` and `watch` share everything but the end: both resolve the
 * resource per context, acquire one cache per context × namespace from a
 * PhWatchHub and run the main loop.  `get` prints once every cache has
 * synced; `watch` prints changes (or, with --snapshot, the final state). */

/* A cache that failed this often before its first sync makes `get` give
 * up, like kubectl does on a failed request (it does not retry either). */
#define GET_MAX_FAILURES 3

typedef enum {
  OUTPUT_TABLE,
  OUTPUT_JSON,
  OUTPUT_NAME,
} OutputFormat;

typedef struct _Run Run;

typedef struct {
  Run         *run;
  PhCluster   *cluster;
  char        *context;
  char        *namespace_;   /* NULL: all */
  PhListCache *cache;
  GPtrArray   *mirror;       /* watch: the model as last announced */
  guint        n_failures;
  gboolean     failed;       /* get gave up on it */
  PhCacheState last_state;
} Feed;

struct _Run
{
  gboolean       watch;
  char          *resource_arg;
  char         **contexts;
  char         **namespaces;
  gboolean       all_namespaces;
  char          *label_selector;
  char          *field_selector;
  OutputFormat   output;
  PhWatchStrategy strategy;
  double         for_seconds;
  gboolean       snapshot;

  PhKubeconfig  *config;
  PhWatchHub    *hub;
  GMainLoop     *loop;
  GPtrArray     *feeds;
  GPtrArray     *errors;      /* char*, one per failed context */
  guint          pending_resolves;
  PhResourceInfo *info;      /* from the first context that resolved */
  gboolean       quitting;
  guint          for_id;
};

static void
feed_free (Feed *feed)
{
  if (feed->cache != NULL)
    {
      g_signal_handlers_disconnect_by_data (feed->cache, feed);
      if (feed->mirror != NULL)
        for (guint i = 0; i < feed->mirror->len; i++)
          g_signal_handlers_disconnect_by_data (g_ptr_array_index (feed->mirror, i), feed);
      ph_watch_hub_release (feed->run->hub, feed->cache);
      g_clear_object (&feed->cache);
    }
  g_clear_pointer (&feed->mirror, g_ptr_array_unref);
  g_clear_object (&feed->cluster);
  g_free (feed->context);
  g_free (feed->namespace_);
  g_free (feed);
}

static void
json_escape (GString    *out,
             const char *str)
{
  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = str; *p; p++)
    {
      unsigned char c = (unsigned char) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
json_member (GString    *out,
             const char *name,
             const char *value)
{
  if (out->len > 1)
    g_string_append_c (out, ',');
  json_escape (out, name);
  g_string_append_c (out, ':');
  json_escape (out, value);
}

static void
print_line (GString *line)
{
  g_string_append (line, "}\n");
  fwrite (line->str, 1, line->len, stdout);
  fflush (stdout);
}

static void
print_change (Feed       *feed,
              PhObject   *obj,
              const char *type)
{
  g_autoptr(GString) line = g_string_new ("{");

  json_member (line, "context", feed->context);
  json_member (line, "namespace", ph_object_get_namespace (obj));
  json_member (line, "name", ph_object_get_name (obj));
  json_member (line, "type", type);
  json_member (line, "resourceVersion", ph_object_get_resource_version (obj));
  print_line (line);
}

static void
print_state (Feed *feed)
{
  g_autoptr(GString) line = g_string_new ("{");

  json_member (line, "context", feed->context);
  json_member (line, "namespace", feed->namespace_);
  json_member (line, "resource", ph_query_get_resource (ph_list_cache_get_query (feed->cache)));
  json_member (line, "state", ph_cache_state_to_string (ph_list_cache_get_state (feed->cache)));
  if (ph_list_cache_get_error_message (feed->cache) != NULL)
    json_member (line, "error", ph_list_cache_get_error_message (feed->cache));
  print_line (line);
}

/* --- Sorting and printing lists ------------------------------------ */

typedef struct {
  const char *context;
  PhObject   *obj;
} Row;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *ra = a;
  const Row *rb = b;
  int r;

  if ((r = strcmp (ra->context, rb->context)) != 0)
    return r;
  if ((r = strcmp (ph_object_get_namespace (ra->obj), ph_object_get_namespace (rb->obj))) != 0)
    return r;
  return strcmp (ph_object_get_name (ra->obj), ph_object_get_name (rb->obj));
}

static GArray *
collect_rows (Run *run)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Row));

  for (guint i = 0; i < run->feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (run->feeds, i);
      guint n;

      if (feed->cache == NULL)
        continue;
      n = g_list_model_get_n_items (G_LIST_MODEL (feed->cache));
      for (guint k = 0; k < n; k++)
        {
          Row row = { feed->context, g_list_model_get_item (G_LIST_MODEL (feed->cache), k) };

          /* The model keeps its own reference; rows only borrow. */
          g_object_unref (row.obj);
          g_array_append_val (rows, row);
        }
    }
  g_array_sort (rows, compare_rows);
  return rows;
}

static char *
format_age (gint64 created)
{
  gint64 s, m, h, d, y;

  if (created <= 0)
    return g_strdup ("<unknown>");
  s = MAX (0, g_get_real_time () / G_USEC_PER_SEC - created);
  m = s / 60;
  h = m / 60;
  d = h / 24;
  y = d / 365;
  /* kubectl's HumanDuration steps. */
  if (s < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
  if (m < 10)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s", m, s % 60);
  if (m < 180)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", m);
  if (h < 8)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m", h, m % 60);
  if (h < 48)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", h);
  if (h < 24 * 8)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d%" G_GINT64_FORMAT "h", d, h % 24);
  if (d < 365 * 2)
    return g_strdup_printf ("%" G_GINT64_FORMAT "d", d);
  if (y < 8)
    return g_strdup_printf ("%" G_GINT64_FORMAT "y%" G_GINT64_FORMAT "d", y, d % 365);
  return g_strdup_printf ("%" G_GINT64_FORMAT "y", y);
}

typedef struct {
  const char *header;
  const char *column;   /* for ph_object_get_column; "age" computed */
} Column;

static const Column *
columns_for (const char *resource,
             guint      *n)
{
#define COLS(...) { static const Column c[] = { __VA_ARGS__ }; *n = G_N_ELEMENTS (c); return c; }
  if (g_strcmp0 (resource, "pods") == 0)
    COLS ({ "READY", "ready" }, { "STATUS", "status" }, { "RESTARTS", "restarts" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "deployments") == 0)
    COLS ({ "READY", "ready" }, { "UP-TO-DATE", "up-to-date" }, { "AVAILABLE", "available" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "replicasets") == 0)
    COLS ({ "DESIRED", "desired" }, { "CURRENT", "current" }, { "READY", "ready" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "statefulsets") == 0)
    COLS ({ "READY", "ready" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "daemonsets") == 0)
    COLS ({ "DESIRED", "desired" }, { "CURRENT", "current" }, { "READY", "ready" },
          { "UP-TO-DATE", "up-to-date" }, { "AVAILABLE", "available" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "services") == 0)
    COLS ({ "TYPE", "type" }, { "CLUSTER-IP", "cluster-ip" }, { "EXTERNAL-IP", "external-ip" },
          { "PORT(S)", "ports" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "nodes") == 0)
    COLS ({ "STATUS", "status" }, { "ROLES", "roles" }, { "AGE", "age" }, { "VERSION", "version" })
  if (g_strcmp0 (resource, "events") == 0)
    COLS ({ "LAST SEEN", "last-seen" }, { "TYPE", "type" }, { "REASON", "reason" },
          { "OBJECT", "object" }, { "MESSAGE", "message" })
  if (g_strcmp0 (resource, "namespaces") == 0)
    COLS ({ "STATUS", "status" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "configmaps") == 0)
    COLS ({ "DATA", "data" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "secrets") == 0)
    COLS ({ "TYPE", "type" }, { "DATA", "data" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "jobs") == 0)
    COLS ({ "STATUS", "status" }, { "COMPLETIONS", "completions" }, { "AGE", "age" })
  if (g_strcmp0 (resource, "cronjobs") == 0)
    COLS ({ "SCHEDULE", "schedule" }, { "SUSPEND", "suspend" }, { "ACTIVE", "active" },
          { "LAST SCHEDULE", "last-schedule" }, { "AGE", "age" })
  COLS ({ "AGE", "age" })
#undef COLS
}

static void
print_table (Run    *run,
             GArray *rows)
{
  const char *resource = run->info ? run->info->resource : run->resource_arg;
  gboolean show_context = g_strv_length (run->contexts) > 1;
  gboolean show_ns = run->info && run->info->namespaced &&
                     (run->all_namespaces || (run->namespaces && g_strv_length (run->namespaces) > 1));
  guint n_cols;
  const Column *cols = columns_for (resource, &n_cols);
  /* Like kubectl, events are listed by what happened, not by name. */
  gboolean show_name = g_strcmp0 (resource, "events") != 0;
  guint n_fields = n_cols + (show_name ? 1 : 0) + (show_context ? 1 : 0) + (show_ns ? 1 : 0);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *widths = g_new0 (guint, n_fields);
  guint f;

  if (rows->len == 0)
    {
      if (run->info && run->info->namespaced && !run->all_namespaces)
        {
          Feed *first = run->feeds->len ? g_ptr_array_index (run->feeds, 0) : NULL;
          fprintf (stderr, _("No resources found in %s namespace.\n"),
                   first && first->namespace_ ? first->namespace_ : "default");
        }
      else
        fprintf (stderr, "%s\n", _("No resources found"));
      return;
    }

  /* Header row. */
  if (show_context)
    g_ptr_array_add (cells, g_strdup ("CONTEXT"));
  if (show_ns)
    g_ptr_array_add (cells, g_strdup ("NAMESPACE"));
  if (show_name)
    g_ptr_array_add (cells, g_strdup ("NAME"));
  for (guint c = 0; c < n_cols; c++)
    g_ptr_array_add (cells, g_strdup (cols[c].header));

  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = &g_array_index (rows, Row, r);

      if (show_context)
        g_ptr_array_add (cells, g_strdup (row->context));
      if (show_ns)
        g_ptr_array_add (cells, g_strdup (ph_object_get_namespace (row->obj)));
      if (show_name)
        g_ptr_array_add (cells, g_strdup (ph_object_get_name (row->obj)));
      for (guint c = 0; c < n_cols; c++)
        {
          if (strcmp (cols[c].column, "age") == 0)
            g_ptr_array_add (cells, format_age (ph_object_get_creation_timestamp (row->obj)));
          else if (strcmp (cols[c].column, "last-seen") == 0)
            {
              const char *ts = ph_object_get_column (row->obj, "last-seen");
              g_autoptr(GDateTime) dt = ts && *ts ? g_date_time_new_from_iso8601 (ts, NULL) : NULL;

              g_ptr_array_add (cells, dt ? format_age (g_date_time_to_unix (dt)) : g_strdup ("<unknown>"));
            }
          else
            {
              const char *v = ph_object_get_column (row->obj, cols[c].column);
              g_ptr_array_add (cells, g_strdup (v && *v ? v : "<none>"));
            }
        }
    }

  for (guint i = 0; i < cells->len; i++)
    {
      f = i % n_fields;
      widths[f] = MAX (widths[f], (guint) g_utf8_strlen (g_ptr_array_index (cells, i), -1));
    }
  for (guint i = 0; i < cells->len; i++)
    {
      const char *cell = g_ptr_array_index (cells, i);

      f = i % n_fields;
      if (f == n_fields - 1)
        printf ("%s\n", cell);
      else
        printf ("%s%*s", cell, (int) (widths[f] - g_utf8_strlen (cell, -1) + 3), "");
    }
}

static void
print_rows (Run    *run,
            GArray *rows)
{
  switch (run->output)
    {
    case OUTPUT_TABLE:
      print_table (run, rows);
      break;

    case OUTPUT_NAME:
      for (guint r = 0; r < rows->len; r++)
        {
          Row *row = &g_array_index (rows, Row, r);
          g_autofree char *kind = g_ascii_strdown (ph_object_get_kind (row->obj), -1);
          const char *group = run->info ? run->info->group : "";

          if (group != NULL && *group != '\0')
            printf ("%s.%s/%s\n", kind, group, ph_object_get_name (row->obj));
          else
            printf ("%s/%s\n", kind, ph_object_get_name (row->obj));
        }
      break;

    case OUTPUT_JSON:
      /* A kubectl-style List of the raw objects as the server sent them. */
      printf ("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": [");
      for (guint r = 0; r < rows->len; r++)
        {
          Row *row = &g_array_index (rows, Row, r);
          gsize len;
          const char *data = g_bytes_get_data (ph_object_get_json (row->obj), &len);

          printf ("%s\n", r ? "," : "");
          fwrite (data, 1, len, stdout);
        }
      printf ("\n    ]\n}\n");
      break;

    default:
      g_assert_not_reached ();
    }
  fflush (stdout);
}

static void
print_snapshot (Run *run)
{
  g_autoptr(GArray) rows = collect_rows (run);

  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = &g_array_index (rows, Row, r);
      g_autoptr(GString) line = g_string_new ("{");

      json_member (line, "context", row->context);
      json_member (line, "namespace", ph_object_get_namespace (row->obj));
      json_member (line, "name", ph_object_get_name (row->obj));
      json_member (line, "uid", ph_object_get_uid (row->obj));
      json_member (line, "resourceVersion", ph_object_get_resource_version (row->obj));
      print_line (line);
    }
}

/* --- Running -------------------------------------------------------- */

static void
run_quit (Run *run)
{
  if (!run->quitting)
    {
      run->quitting = TRUE;
      g_main_loop_quit (run->loop);
    }
}

static void
add_error (Run        *run,
           const char *context,
           const char *message)
{
  /* Errors of PhCluster already name their context; don't say it twice. */
  if (message != NULL && strstr (message, context) != NULL)
    g_ptr_array_add (run->errors, g_strdup (message));
  else
    g_ptr_array_add (run->errors, g_strdup_printf (_("context “%s”: %s"), context,
                                                   message ? message : _("unknown error")));
}

static void
get_check_done (Run *run)
{
  if (run->pending_resolves > 0)
    return;
  for (guint i = 0; i < run->feeds->len; i++)
    {
      Feed *feed = g_ptr_array_index (run->feeds, i);

      if (feed->cache == NULL || feed->failed)
        continue;
      if (ph_list_cache_get_state (feed->cache) != PH_CACHE_STATE_LIVE)
        return;
    }
  run_quit (run);
}

static void
on_object_rv (PhObject   *obj,
              GParamSpec *pspec,
              Feed       *feed)
{
  if (!feed->run->snapshot)
    print_change (feed, obj, "MODIFIED");
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Feed       *feed)
{
  for (guint i = 0; i < removed; i++)
    {
      PhObject *obj = g_ptr_array_index (feed->mirror, position + i);

      g_signal_handlers_disconnect_by_data (obj, feed);
      if (!feed->run->snapshot)
        print_change (feed, obj, "DELETED");
    }
  g_ptr_array_remove_range (feed->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    {
      PhObject *obj = g_list_model_get_item (model, position + i);

      g_signal_connect (obj, "notify::resource-version", G_CALLBACK (on_object_rv), feed);
      if (!feed->run->snapshot)
        print_change (feed, obj, "ADDED");
      g_ptr_array_insert (feed->mirror, position + i, obj);
    }
}

static void
on_state (PhListCache *cache,
          GParamSpec  *pspec,
          Feed        *feed)
{
  Run *run = feed->run;
  PhCacheState state = ph_list_cache_get_state (cache);

  if (state == feed->last_state)
    return;
  feed->last_state = state;

  if (run->watch)
    {
      if (!run->snapshot)
        print_state (feed);
      return;
    }

  if (state == PH_CACHE_STATE_ERROR ||
      (state == PH_CACHE_STATE_RECONNECTING && ++feed->n_failures >= GET_MAX_FAILURES))
    {
      feed->failed = TRUE;
      add_error (run, feed->context, ph_list_cache_get_error_message (cache));
    }
  get_check_done (run);
}

static void
add_feed (Run        *run,
          PhCluster  *cluster,
          const char *namespace_)
{
  g_autoptr(PhQuery) query = NULL;
  Feed *feed = g_new0 (Feed, 1);

  feed->run = run;
  feed->cluster = g_object_ref (cluster);
  feed->context = g_strdup (ph_cluster_get_context_name (cluster));
  feed->namespace_ = g_strdup (namespace_);
  g_ptr_array_add (run->feeds, feed);

  query = ph_query_new (cluster, run->info->group, run->info->version, run->info->resource,
                        namespace_, run->label_selector, run->field_selector);
  feed->cache = ph_watch_hub_acquire (run->hub, query);
  feed->last_state = ph_list_cache_get_state (feed->cache);
  g_signal_connect (feed->cache, "notify::state", G_CALLBACK (on_state), feed);
  if (run->watch)
    {
      feed->mirror = g_ptr_array_new_with_free_func (g_object_unref);
      g_signal_connect (feed->cache, "items-changed", G_CALLBACK (on_items_changed), feed);
      if (!run->snapshot)
        print_state (feed);
    }
}

typedef struct {
  Run       *run;
  PhCluster *cluster;
} Resolve;

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Resolve *r = user_data;
  Run *run = r->run;
  PhCluster *cluster = r->cluster;
  g_autoptr(GError) error = NULL;
  g_autoptr(PhResourceInfo) info = NULL;

  info = ph_cluster_resolve_resource_finish (cluster, result, &error);
  run->pending_resolves--;

  if (info == NULL)
    add_error (run, ph_cluster_get_context_name (cluster), error->message);
  else
    {
      if (run->info == NULL)
        run->info = ph_resource_info_ref (info);

      if (!info->namespaced || run->all_namespaces)
        add_feed (run, cluster, NULL);
      else if (run->namespaces != NULL && run->namespaces[0] != NULL)
        for (guint i = 0; run->namespaces[i]; i++)
          add_feed (run, cluster, run->namespaces[i]);
      else
        add_feed (run, cluster, ph_cluster_get_default_namespace (cluster));
    }

  g_object_unref (cluster);
  g_free (r);

  if (run->pending_resolves == 0 && run->feeds->len == 0)
    run_quit (run);
  else if (!run->watch)
    get_check_done (run);
}

static gboolean
on_signal (gpointer user_data)
{
  run_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_for_elapsed (gpointer user_data)
{
  Run *run = user_data;

  run->for_id = 0;
  run_quit (run);
  return G_SOURCE_REMOVE;
}

static int
run_kube_command (int       argc,
                  char    **argv,
                  gboolean  watch)
{
  g_autoptr(GOptionContext) octx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kubeconfig = NULL;
  g_autofree char *output = NULL;
  g_autofree char *strategy = NULL;
  Run run_data = { 0 };
  Run *run = &run_data;
  guint sigint_id, sigterm_id;
  int status = 0;
  GOptionEntry entries[] = {
    { "kubeconfig", 0, 0, G_OPTION_ARG_FILENAME, &kubeconfig, N_("Path to the kubeconfig file"), N_("FILE") },
    { "context", 0, 0, G_OPTION_ARG_STRING_ARRAY, &run->contexts, N_("Context to use (repeatable)"), N_("NAME") },
    { "namespace", 'n', 0, G_OPTION_ARG_STRING_ARRAY, &run->namespaces, N_("Namespace (repeatable)"), N_("NAMESPACE") },
    { "all-namespaces", 'A', 0, G_OPTION_ARG_NONE, &run->all_namespaces, N_("List across all namespaces"), NULL },
    { "selector", 'l', 0, G_OPTION_ARG_STRING, &run->label_selector, N_("Label selector"), N_("SELECTOR") },
    { "field-selector", 0, 0, G_OPTION_ARG_STRING, &run->field_selector, N_("Field selector"), N_("SELECTOR") },
    { "output", 'o', 0, G_OPTION_ARG_STRING, &output, N_("Output format: table, json or name"), N_("FORMAT") },
    { NULL }
  };
  GOptionEntry watch_entries[] = {
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy, N_("How watches travel: multiplexed or websocket"), N_("STRATEGY") },
    { "for", 0, 0, G_OPTION_ARG_DOUBLE, &run->for_seconds, N_("Stop after this many seconds"), N_("SECONDS") },
    { "snapshot", 0, 0, G_OPTION_ARG_NONE, &run->snapshot, N_("Print only the final contents when stopping"), NULL },
    { NULL }
  };

  run->watch = watch;
  octx = g_option_context_new (_("RESOURCE"));
  g_option_context_set_translation_domain (octx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (octx, entries, GETTEXT_PACKAGE);
  if (watch)
    g_option_context_add_main_entries (octx, watch_entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (octx, &argc, &argv, &error))
    {
      fprintf (stderr, "porthole-cli %s: %s\n", argv[0], error->message);
      return 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "porthole-cli %s: %s\n", argv[0], _("exactly one RESOURCE is required"));
      return 2;
    }
  run->resource_arg = argv[1];

  if (output == NULL || strcmp (output, "table") == 0 || strcmp (output, "wide") == 0)
    run->output = OUTPUT_TABLE;
  else if (strcmp (output, "json") == 0)
    run->output = OUTPUT_JSON;
  else if (strcmp (output, "name") == 0)
    run->output = OUTPUT_NAME;
  else
    {
      fprintf (stderr, _("porthole-cli %s: unknown output format “%s” (use table, json or name)\n"),
               argv[0], output);
      return 2;
    }
  run->strategy = PH_WATCH_STRATEGY_MULTIPLEXED;
  if (strategy != NULL && !ph_watch_strategy_from_string (strategy, &run->strategy))
    {
      fprintf (stderr, _("porthole-cli %s: unknown strategy “%s” (use multiplexed or websocket)\n"),
               argv[0], strategy);
      return 2;
    }

  run->config = ph_kubeconfig_load (kubeconfig, &error);
  if (run->config == NULL)
    {
      fprintf (stderr, "porthole-cli %s: %s\n", argv[0], error->message);
      return 1;
    }
  if (run->contexts == NULL || run->contexts[0] == NULL)
    {
      const char *current = ph_kubeconfig_get_current_context (run->config);

      if (current == NULL)
        {
          fprintf (stderr, "porthole-cli %s: %s\n", argv[0],
                   _("the kubeconfig sets no current-context; choose one with --context"));
          g_clear_object (&run->config);
          return 1;
        }
      g_strfreev (run->contexts);
      run->contexts = g_new0 (char *, 2);
      run->contexts[0] = g_strdup (current);
    }

  run->hub = ph_watch_hub_new (run->strategy);
  run->loop = g_main_loop_new (NULL, FALSE);
  run->feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) feed_free);
  run->errors = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; run->contexts[i]; i++)
    {
      g_autoptr(GError) cerr = NULL;
      PhCluster *cluster = ph_cluster_new (run->config, run->contexts[i], &cerr);
      Resolve *r;

      if (cluster == NULL)
        {
          add_error (run, run->contexts[i], cerr->message);
          continue;
        }
      r = g_new0 (Resolve, 1);
      r->run = run;
      r->cluster = cluster;
      run->pending_resolves++;
      ph_cluster_resolve_resource_async (cluster, run->resource_arg, NULL, on_resolved, r);
    }

  sigint_id = g_unix_signal_add (SIGINT, on_signal, run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, run);
  if (watch && run->for_seconds > 0)
    run->for_id = g_timeout_add ((guint) (run->for_seconds * 1000), on_for_elapsed, run);

  if (run->pending_resolves > 0)
    g_main_loop_run (run->loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&run->for_id, g_source_remove);

  if (watch)
    {
      if (run->snapshot)
        print_snapshot (run);
      /* Healthy means live at the end. */
      for (guint i = 0; i < run->feeds->len; i++)
        {
          Feed *feed = g_ptr_array_index (run->feeds, i);
          PhCacheState state = ph_list_cache_get_state (feed->cache);

          if (state != PH_CACHE_STATE_LIVE)
            {
              const char *msg = ph_list_cache_get_error_message (feed->cache);
              g_autofree char *text =
                g_strdup_printf (_("ended %s%s%s"), ph_cache_state_to_string (state),
                                 msg ? ": " : "", msg ? msg : "");
              add_error (run, feed->context, text);
            }
        }
    }
  else if (run->feeds->len > 0)
    {
      g_autoptr(GArray) rows = collect_rows (run);
      print_rows (run, rows);
    }

  for (guint i = 0; i < run->errors->len; i++)
    fprintf (stderr, "porthole-cli %s: %s\n", argv[0], (char *) g_ptr_array_index (run->errors, i));
  if (run->errors->len > 0)
    status = 1;

  g_clear_pointer (&run->feeds, g_ptr_array_unref);
  g_clear_pointer (&run->errors, g_ptr_array_unref);
  g_clear_pointer (&run->info, ph_resource_info_unref);
  g_clear_object (&run->hub);
  g_clear_object (&run->config);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_strfreev (run->contexts);
  g_strfreev (run->namespaces);
  g_free (run->label_selector);
  g_free (run->field_selector);

  return status;
}

int
ph_cli_get (int    argc,
            char **argv)
{
  return run_kube_command (argc, argv, FALSE);
}

int
ph_cli_watch (int    argc,
              char **argv)
{
  return run_kube_command (argc, argv, TRUE);
}
