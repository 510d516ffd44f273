/* test-watch-util.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "ph-object.h"
#include "test-watch-util.h"

#define WAIT_DEADLINE_S 40

static gboolean
is_hangup_warning (const char *domain,
                   const char *message)
{
  return g_strcmp0 (domain, "libsoup") == 0 && message != NULL &&
         strstr (message, "could not get remote address") != NULL;
}

static void
libsoup_log (const char     *domain,
             GLogLevelFlags  level,
             const char     *message,
             gpointer        user_data)
{
  if (!is_hangup_warning (domain, message))
    g_log_default_handler (domain, level, message, user_data);
}

static gboolean
fatal_filter (const char     *domain,
              GLogLevelFlags  level,
              const char     *message,
              gpointer        user_data)
{
  return !is_hangup_warning (domain, message);
}

void
wt_init_logging (void)
{
  g_log_set_handler ("libsoup", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                     libsoup_log, NULL);
  g_test_log_set_fatal_handler (fatal_filter, NULL);
}

PhSimServer *
wt_sim_start (guint   pods,
              guint   namespaces,
              guint64 seed,
              double  churn)
{
  g_autoptr(GError) error = NULL;
  PhSimOptions options;
  PhSimServer *sim;

  ph_sim_options_init (&options);
  options.pods = pods;
  options.namespaces = namespaces;
  options.seed = seed;
  options.churn = churn;
  sim = ph_sim_server_new (&options);
  ph_sim_server_start (sim, &error);
  g_assert_no_error (error);
  return sim;
}

PhCluster *
wt_cluster_for (PhSimServer *sim,
                const char  *context_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = ph_sim_server_get_url (sim);
  PhCluster *cluster = ph_cluster_new_for_server (context_name, url, NULL, NULL, &error);

  g_assert_no_error (error);
  return cluster;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
wt_wait (gboolean  (*cond) (gpointer),
         gpointer    data,
         const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_DEADLINE_S * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick, NULL);

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %d s waiting for %s", WAIT_DEADLINE_S, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

void
wt_spin (guint milliseconds)
{
  gint64 until = g_get_monotonic_time () + milliseconds * 1000;
  wt_wait (time_passed, &until, "time to pass");
}

static gboolean
is_live (gpointer data)
{
  return ph_list_cache_get_state (data) == PH_CACHE_STATE_LIVE;
}

void
wt_wait_live (PhListCache *cache)
{
  wt_wait (is_live, cache, "the cache to be live");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
wt_cache_lines (PhListCache *cache)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (cache));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) obj = g_list_model_get_item (G_LIST_MODEL (cache), i);

      g_ptr_array_add (lines, g_strdup_printf ("%s/%s %s %s", ph_object_get_namespace (obj),
                                               ph_object_get_name (obj), ph_object_get_uid (obj),
                                               ph_object_get_resource_version (obj)));
    }
  g_ptr_array_sort (lines, compare_strings);
  return lines;
}

char *
wt_diff (GPtrArray *want,
         GPtrArray *got)
{
  GString *s = g_string_new (NULL);
  guint i = 0, j = 0, shown = 0;

  while ((i < want->len || j < got->len) && shown < 10)
    {
      int c = i == want->len ? 1 : j == got->len ? -1
            : strcmp (g_ptr_array_index (want, i), g_ptr_array_index (got, j));

      if (c == 0)
        {
          i++;
          j++;
          continue;
        }
      if (c < 0)
        g_string_append_printf (s, "\n  missing: %s", (char *) g_ptr_array_index (want, i++));
      else
        g_string_append_printf (s, "\n  extra:   %s", (char *) g_ptr_array_index (got, j++));
      shown++;
    }
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  {
    g_autofree char *head = g_strdup_printf ("%u expected, %u cached:", want->len, got->len);

    g_string_prepend (s, head);
  }
  return g_string_free (s, FALSE);
}

void
wt_assert_cache_matches (PhListCache *cache,
                         PhSimServer *sim,
                         const char  *resource,
                         const char  *namespace_)
{
  g_autoptr(GPtrArray) want = ph_sim_server_snapshot (sim, resource, namespace_);
  g_autoptr(GPtrArray) got = wt_cache_lines (cache);
  g_autofree char *diff = wt_diff (want, got);

  /* An empty list would prove nothing. */
  g_assert_cmpuint (want->len, >, 0);
  if (diff != NULL)
    g_error ("Cache differs from the server: %s", diff);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cache)), ==, want->len);
}

typedef struct {
  PhListCache *cache;
  PhSimServer *sim;
  const char  *resource;
  const char  *namespace_;
} MatchArgs;

static gboolean
matches (gpointer data)
{
  MatchArgs *args = data;
  g_autoptr(GPtrArray) want = ph_sim_server_snapshot (args->sim, args->resource, args->namespace_);
  g_autoptr(GPtrArray) got = wt_cache_lines (args->cache);
  g_autofree char *diff = wt_diff (want, got);

  return diff == NULL;
}

void
wt_wait_cache_matches (PhListCache *cache,
                       PhSimServer *sim,
                       const char  *resource,
                       const char  *namespace_)
{
  MatchArgs args = { cache, sim, resource, namespace_ };
  gint64 deadline = g_get_monotonic_time () + WAIT_DEADLINE_S * G_USEC_PER_SEC;
  guint id = g_timeout_add (50, tick, NULL);

  while (!matches (&args))
    {
      if (g_get_monotonic_time () > deadline)
        wt_assert_cache_matches (cache, sim, resource, namespace_);
      /* Comparing is costly; let events flow between comparisons. */
      for (guint i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
        ;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  wt_assert_cache_matches (cache, sim, resource, namespace_);
}

void
wt_assert_churn_deleted (PhSimServer *sim,
                         PhListCache *cache)
{
  g_autoptr(GPtrArray) truth = ph_sim_server_snapshot (sim, "pods",
                                                       NULL);
  g_autoptr(GHashTable) uids = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (cache));
  guint gone = 0;

  for (guint i = 0; i < truth->len; i++)
    {
      char **parts = g_strsplit (g_ptr_array_index (truth, i), " ", 3);
      g_hash_table_add (uids, (gpointer) g_intern_string (parts[1]));
      g_strfreev (parts);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhObject) obj = g_list_model_get_item (G_LIST_MODEL (cache), i);
      if (!g_hash_table_contains (uids, g_intern_string (ph_object_get_uid (obj))))
        gone++;
    }
  g_test_message ("%u cached objects were deleted on the server meanwhile", gone);
  g_assert_cmpuint (gone, >, 0);
}

guint
wt_server_watches (PhSimServer *sim)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = ph_sim_server_get_url (sim);
  g_autofree char *url = g_strconcat (base, "/porthole-sim/v1/control", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return (guint) json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                             "watches");
}

typedef struct {
  PhSimServer *sim;
  guint        n;
} WatchCount;

/* A server notices a client that went away only when it next writes to
 * it: have it send bookmarks to every watch first. */
void
wt_sim_bookmark (PhSimServer *sim)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = ph_sim_server_get_url (sim);
  g_autofree char *url = g_strconcat (base, "/porthole-sim/v1/control", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new_static ("{\"action\": \"bookmark\"}", 22);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static gboolean
watches_are (gpointer data)
{
  WatchCount *wc = data;
  guint n = wt_server_watches (wc->sim);

  if (n > wc->n)
    {
      wt_sim_bookmark (wc->sim);
      wt_spin (50);
      n = wt_server_watches (wc->sim);
    }
  return n == wc->n;
}

void
wt_wait_server_watches (PhSimServer *sim,
                        guint        n)
{
  WatchCount wc = { sim, n };
  g_autofree char *what = g_strdup_printf ("the server to count %u open watches", n);

  wt_wait (watches_are, &wc, what);
}
