/* test-watch.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-cluster.h"
#include "ph-kube-error.h"
#include "ph-list-cache-private.h"
#include "ph-object.h"
#include "ph-query.h"
#include "ph-sim-server.h"
#include "ph-watch-hub.h"
#include "test-watch-util.h"

/* List+watch against the simulated API server over real sockets, once
 * per watch strategy: every test ends by comparing the cache with the
 * server's own snapshot, which is the only thing that proves the cache
 * true. */

typedef struct {
  PhWatchStrategy strategy;
  PhSimServer    *sim;
  PhCluster      *cluster;
  PhWatchHub     *hub;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->strategy = GPOINTER_TO_INT (data);
  fx->sim = wt_sim_start (1200, 4, 7, 0);
  fx->cluster = wt_cluster_for (fx->sim, "sim-a");
  fx->hub = ph_watch_hub_new (fx->strategy);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fx->hub));
  g_clear_object (&fx->cluster);
  ph_sim_server_stop (fx->sim);
  g_clear_object (&fx->sim);
}

static PhListCache *
acquire (Fixture    *fx,
         const char *namespace_)
{
  g_autoptr(PhQuery) query = ph_query_new (fx->cluster, "", "v1", "pods", namespace_, NULL, NULL);
  return ph_watch_hub_acquire (fx->hub, query);
}

static void
release (Fixture     *fx,
         PhListCache *cache)
{
  ph_watch_hub_release (fx->hub, cache);
  g_object_unref (cache);
}

static void
test_paged_list (Fixture       *fx,
                 gconstpointer  data)
{
  PhListCache *cache;

  g_object_set (fx->hub, "page-size", 100, "streaming-list", FALSE, NULL);
  cache = acquire (fx, NULL);
  wt_wait_live (cache);
  wt_assert_cache_matches (cache, fx->sim, "pods", NULL);
  /* 1200 pods in pages of 100: twelve requests (plus one if the server
   * says "continue" on the last full page). */
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), >=, 12);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), <=, 13);
  g_assert_cmpuint (ph_list_cache_get_synced_items (cache), ==, 1200);
  g_assert_cmpuint (ph_list_cache_get_expected_items (cache), ==, 1200);
  release (fx, cache);
}

static void
test_streaming_list (Fixture       *fx,
                     gconstpointer  data)
{
  PhListCache *cache = acquire (fx, NULL);

  wt_wait_live (cache);
  wt_assert_cache_matches (cache, fx->sim, "pods", NULL);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), ==, 0);
  g_assert_cmpuint (ph_list_cache_get_synced_items (cache), ==, 1200);
  release (fx, cache);
}

static void
test_events (Fixture       *fx,
             gconstpointer  data)
{
  PhListCache *cache = acquire (fx, NULL);
  guint lists;

  wt_wait_live (cache);
  lists = ph_list_cache_get_n_lists (cache);
  ph_sim_server_churn_steps (fx->sim, 300);
  wt_wait_cache_matches (cache, fx->sim, "pods", NULL);
  ph_sim_server_churn_steps (fx->sim, 300);
  wt_wait_cache_matches (cache, fx->sim, "pods", NULL);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), ==, lists);
  g_assert_cmpuint (ph_list_cache_get_n_watches (cache), ==, 1);
  release (fx, cache);
}

static gboolean
watches_at_least (gpointer data)
{
  gpointer *args = data;
  return ph_list_cache_get_n_watches (args[0]) >= GPOINTER_TO_UINT (args[1]);
}

/* Watches end with the server's timeout; each is resumed from the last
 * version without a new list. */
static void
test_rewatch (Fixture       *fx,
              gconstpointer  data)
{
  PhListCache *cache;
  gpointer args[2];

  g_object_set (fx->hub, "watch-timeout", 1, "streaming-list", FALSE, NULL);
  cache = acquire (fx, "kube-system");
  wt_wait_live (cache);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), >=, 1);
  args[0] = cache;
  args[1] = GUINT_TO_POINTER (3);
  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait (watches_at_least, args, "three watches");
  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait_cache_matches (cache, fx->sim, "pods", "kube-system");
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), ==, 1);
  release (fx, cache);
}

static gboolean
lists_at_least (gpointer data)
{
  gpointer *args = data;
  return ph_list_cache_get_n_lists (args[0]) >= GPOINTER_TO_UINT (args[1]);
}

/* The watch falls behind the server's history: 410, relist, reconcile,
 * including deletions that happened while the client was away. */
static void
test_relist_on_410 (Fixture       *fx,
                    gconstpointer  data)
{
  PhListCache *cache;
  gpointer args[2];
  guint lists;

  g_object_set (fx->hub, "streaming-list", FALSE, NULL);
  cache = acquire (fx, NULL);
  wt_wait_live (cache);
  lists = ph_list_cache_get_n_lists (cache);

  /* Keep the client away while things change and history is lost. */
  ph_sim_server_fail_next (fx->sim, 3, 503);
  ph_sim_server_drop_watches (fx->sim);
  ph_sim_server_churn_steps (fx->sim, 600);
  wt_assert_churn_deleted (fx->sim, cache);
  ph_sim_server_compact (fx->sim);

  args[0] = cache;
  args[1] = GUINT_TO_POINTER (lists + 1);
  wt_wait (lists_at_least, args, "a relist");
  wt_wait_cache_matches (cache, fx->sim, "pods", NULL);
  g_assert_cmpint (ph_list_cache_get_state (cache), ==, PH_CACHE_STATE_LIVE);
  release (fx, cache);
}

static void
test_streaming_relist_on_410 (Fixture       *fx,
                              gconstpointer  data)
{
  PhListCache *cache = acquire (fx, NULL);
  guint watches;

  wt_wait_live (cache);
  watches = ph_list_cache_get_n_watches (cache);
  ph_sim_server_fail_next (fx->sim, 2, 500);
  ph_sim_server_drop_watches (fx->sim);
  ph_sim_server_churn_steps (fx->sim, 600);
  ph_sim_server_compact (fx->sim);
  wt_wait_cache_matches (cache, fx->sim, "pods", NULL);
  g_assert_cmpuint (ph_list_cache_get_n_watches (cache), >, watches);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), ==, 0);
  release (fx, cache);
}

typedef struct {
  GArray *states;
} StateLog;

static void
on_state (PhListCache *cache,
          GParamSpec  *pspec,
          StateLog    *log)
{
  PhCacheState state = ph_list_cache_get_state (cache);
  g_array_append_val (log->states, state);
  if (state == PH_CACHE_STATE_RECONNECTING || state == PH_CACHE_STATE_STALE)
    {
      /* A retry time in the future, at most the backoff cap away. */
      gint64 retry = ph_list_cache_get_retry_time (cache);
      g_assert_cmpint (retry, >=, g_get_real_time () - G_USEC_PER_SEC);
      g_assert_cmpint (retry, <=, g_get_real_time () + 31 * G_USEC_PER_SEC);
      g_assert_nonnull (ph_list_cache_get_error_message (cache));
    }
}

static gboolean
array_has (GArray      *arr,
           PhCacheState state)
{
  for (guint i = 0; i < arr->len; i++)
    if (g_array_index (arr, PhCacheState, i) == state)
      return TRUE;
  return FALSE;
}

static gboolean
saw_failure (gpointer data)
{
  return array_has (data, PH_CACHE_STATE_RECONNECTING) || array_has (data, PH_CACHE_STATE_STALE);
}

/* Failing requests (500s, then 429s) and dropped streams: the cache says
 * "reconnecting", backs off, comes back live and true. */
static void
fault_recovery (Fixture *fx,
                guint    status)
{
  StateLog log = { g_array_new (FALSE, FALSE, sizeof (PhCacheState)) };
  PhListCache *cache = acquire (fx, "payments");

  wt_wait_live (cache);
  g_signal_connect (cache, "notify::state", G_CALLBACK (on_state), &log);

  ph_sim_server_fail_next (fx->sim, 3, status);
  ph_sim_server_drop_watches (fx->sim);
  ph_sim_server_churn_steps (fx->sim, 200);
  wt_wait (saw_failure, log.states, "the cache to report reconnecting");
  wt_wait_cache_matches (cache, fx->sim, "pods", "payments");
  wt_wait_live (cache);
  g_assert_cmpint (ph_list_cache_get_retry_time (cache), ==, 0);
  g_assert_null (ph_list_cache_get_error_message (cache));
  g_assert_cmpint (ph_list_cache_get_last_event_time (cache), >, 0);

  g_signal_handlers_disconnect_by_data (cache, &log);
  g_array_unref (log.states);
  release (fx, cache);
}

static void
test_faults_500 (Fixture       *fx,
                 gconstpointer  data)
{
  fault_recovery (fx, 500);
}

static void
test_faults_429 (Fixture       *fx,
                 gconstpointer  data)
{
  fault_recovery (fx, 429);
}

/* Two clusters × three namespaces, all live at once and all true. */
static void
test_many (Fixture       *fx,
           gconstpointer  data)
{
  PhSimServer *sim_b = wt_sim_start (600, 3, 99, 0);
  g_autoptr(PhCluster) cluster_b = wt_cluster_for (sim_b, "sim-b");
  const char *namespaces[] = { "default", "kube-system", "payments" };
  PhListCache *caches[6];

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(PhQuery) q = ph_query_new (i < 3 ? fx->cluster : cluster_b, "", "v1", "pods",
                                           namespaces[i % 3], NULL, NULL);
      caches[i] = ph_watch_hub_acquire (fx->hub, q);
    }
  for (guint i = 0; i < 6; i++)
    wt_wait_live (caches[i]);

  ph_sim_server_churn_steps (fx->sim, 300);
  ph_sim_server_churn_steps (sim_b, 300);
  for (guint i = 0; i < 6; i++)
    {
      wt_wait_cache_matches (caches[i], i < 3 ? fx->sim : sim_b, "pods", namespaces[i % 3]);
      g_assert_cmpstr (ph_list_cache_get_error_message (caches[i]), ==, NULL);
    }
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 6);

  for (guint i = 0; i < 6; i++)
    release (fx, caches[i]);
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 0);
  ph_sim_server_stop (sim_b);
  g_object_unref (sim_b);
}

/* One upstream per distinct query, counted on the server; the last
 * consumer closes it, also while it is still connecting. */
static void
test_sharing (Fixture       *fx,
              gconstpointer  data)
{
  PhListCache *a, *b, *c, *other;

  a = acquire (fx, "checkout");
  b = acquire (fx, "checkout");
  c = acquire (fx, "checkout");
  g_assert_true (a == b && b == c);
  other = acquire (fx, "kube-system");
  g_assert_true (other != a);
  wt_wait_live (a);
  wt_wait_live (other);
  wt_wait_server_watches (fx->sim, 2);
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 2);

  /* Reconnects keep the key: still one upstream for the query. */
  ph_sim_server_drop_watches (fx->sim);
  ph_sim_server_churn_steps (fx->sim, 50);
  wt_wait_cache_matches (a, fx->sim, "pods", "checkout");
  wt_wait_server_watches (fx->sim, 2);

  release (fx, a);
  release (fx, b);
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 2);
  wt_wait_server_watches (fx->sim, 2);
  release (fx, c);
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 1);
  wt_wait_server_watches (fx->sim, 1);
  release (fx, other);
  wt_wait_server_watches (fx->sim, 0);

  /* Leaving while the connection is still being made: a slow server
   * holds every request; nothing may stay open.  (For WebSockets the
   * same is proven through the counting proxy in test-watch-proxy: a
   * direct hang-up mid-upgrade trips a warning inside libsoup's server.) */
  if (fx->strategy == PH_WATCH_STRATEGY_WEBSOCKET)
    return;
  ph_sim_server_set_latency (fx->sim, 1500);
  a = acquire (fx, "payments");
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 1);
  wt_spin (200);
  release (fx, a);
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 0);
  wt_spin (2500);
  wt_wait_server_watches (fx->sim, 0);
  ph_sim_server_set_latency (fx->sim, 0);
}

static gboolean
event_time_after (gpointer data)
{
  gpointer *args = data;
  return ph_list_cache_get_last_event_time (args[0]) > *(gint64 *) args[1];
}

/* A bookmark moves the version a watch resumes from: after one, history
 * can be compacted without costing a relist. */
static void
test_bookmarks (Fixture       *fx,
                gconstpointer  data)
{
  PhListCache *cache;
  gpointer args[2];
  gint64 before;
  guint lists;

  g_object_set (fx->hub, "streaming-list", FALSE, NULL);
  cache = acquire (fx, "kube-system");
  wt_wait_live (cache);
  ph_sim_server_churn_steps (fx->sim, 300);
  wt_wait_cache_matches (cache, fx->sim, "pods", "kube-system");
  lists = ph_list_cache_get_n_lists (cache);

  before = ph_list_cache_get_last_event_time (cache);
  args[0] = cache;
  args[1] = &before;
  wt_spin (10);
  wt_sim_bookmark (fx->sim);
  wt_wait (event_time_after, args, "the bookmark");

  ph_sim_server_compact (fx->sim);
  ph_sim_server_drop_watches (fx->sim);
  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait_cache_matches (cache, fx->sim, "pods", "kube-system");
  g_assert_cmpuint (ph_list_cache_get_n_watches (cache), >=, 2);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), ==, lists);
  release (fx, cache);
}

static gboolean
is_error (gpointer data)
{
  return ph_list_cache_get_state (data) == PH_CACHE_STATE_ERROR;
}

/* A 403 puts that one cache into the error state with the server's
 * message and leaves the others alone; retry() recovers it. */
static void
test_forbidden (Fixture       *fx,
                gconstpointer  data)
{
  PhListCache *ok = acquire (fx, "default");
  PhListCache *denied;

  wt_wait_live (ok);
  ph_sim_server_fail_next (fx->sim, 1, 403);
  denied = acquire (fx, "payments");
  wt_wait (is_error, denied, "the error state");
  g_assert_nonnull (ph_list_cache_get_error_message (denied));
  g_assert_error ((GError *) ph_list_cache_get_error (denied), PH_KUBE_ERROR, PH_KUBE_ERROR_FORBIDDEN);
  g_assert_cmpint (ph_list_cache_get_retry_time (denied), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (denied)), ==, 0);

  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait_cache_matches (ok, fx->sim, "pods", "default");
  g_assert_cmpint (ph_list_cache_get_state (ok), ==, PH_CACHE_STATE_LIVE);
  /* It stays in error: no retry loop against a refusal. */
  wt_spin (1500);
  g_assert_cmpint (ph_list_cache_get_state (denied), ==, PH_CACHE_STATE_ERROR);

  ph_list_cache_retry (denied);
  wt_wait_live (denied);
  wt_assert_cache_matches (denied, fx->sim, "pods", "payments");
  g_assert_null (ph_list_cache_get_error_message (denied));
  g_assert_null (ph_list_cache_get_error (denied));
  release (fx, denied);
  release (fx, ok);
}

/* A server that refuses streaming lists gets paged ones. */
static void
test_streaming_list_fallback (Fixture       *fx,
                              gconstpointer  data)
{
  PhListCache *cache;

  ph_sim_server_fail_next (fx->sim, 1, 422);
  cache = acquire (fx, NULL);
  wt_wait_live (cache);
  wt_assert_cache_matches (cache, fx->sim, "pods", NULL);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), >=, 3);
  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait_cache_matches (cache, fx->sim, "pods", NULL);
  release (fx, cache);
}

static gboolean
is_live (gpointer data)
{
  return ph_list_cache_get_state (data) == PH_CACHE_STATE_LIVE;
}

typedef struct {
  gboolean saw_syncing;
  guint    min_items;
} RelistWatch;

static void
on_relist_state (PhListCache *cache,
                 GParamSpec  *pspec,
                 RelistWatch *watch)
{
  if (ph_list_cache_get_state (cache) == PH_CACHE_STATE_SYNCING)
    watch->saw_syncing = TRUE;
}

static void
on_relist_items (GListModel  *model,
                 guint        position,
                 guint        removed,
                 guint        added,
                 RelistWatch *watch)
{
  watch->min_items = MIN (watch->min_items, g_list_model_get_n_items (model));
}

/* A user's refresh of a live list: a new list reconciled into the
 * cache.  The list never empties on the way, and objects keep their
 * identity. */
static void
test_relist_keeps_objects (Fixture       *fx,
                           gconstpointer  data)
{
  PhListCache *cache = acquire (fx, "kube-system");
  RelistWatch watch = { FALSE, G_MAXUINT };
  g_autoptr(GPtrArray) before = NULL;
  gulong state_id, items_id;
  guint n;

  wt_wait_live (cache);
  ph_sim_server_churn_steps (fx->sim, 50);
  wt_wait_cache_matches (cache, fx->sim, "pods", "kube-system");
  n = g_list_model_get_n_items (G_LIST_MODEL (cache));
  before = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_list_model_get_item (G_LIST_MODEL (cache), i));

  state_id = g_signal_connect (cache, "notify::state", G_CALLBACK (on_relist_state), &watch);
  items_id = g_signal_connect (cache, "items-changed", G_CALLBACK (on_relist_items), &watch);
  ph_list_cache_relist (cache);
  g_assert_true (watch.saw_syncing);
  wt_wait (is_live, cache, "live after the relist");
  wt_assert_cache_matches (cache, fx->sim, "pods", "kube-system");
  g_signal_handler_disconnect (cache, state_id);
  g_signal_handler_disconnect (cache, items_id);

  g_assert_cmpuint (watch.min_items, >=, n == 0 ? 0 : 1);
  for (guint i = 0; i < before->len; i++)
    {
      PhObject *object = g_ptr_array_index (before, i);

      g_assert_true (ph_list_cache_lookup (cache, ph_object_get_uid (object)) == object);
    }
  release (fx, cache);
}

/* A consumer that takes its time over every change, like a view. */
static void
slow_consumer (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    user_data)
{
  g_usleep (5000);
}

/* A big streaming list on a main loop that is slow to apply it: reading
 * pauses instead of piling chunks up, and the cache still ends up true. */
static void
test_backpressure (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(PhSimServer) sim = wt_sim_start (15000, 10, 3, 0);
  g_autoptr(PhCluster) cluster = wt_cluster_for (sim, "sim-big");
  g_autoptr(PhQuery) query = ph_query_new (cluster, "", "v1", "pods", NULL, NULL, NULL);
  PhListCache *cache;
  gulong slow_id;

  cache = ph_watch_hub_acquire (fx->hub, query);
  slow_id = g_signal_connect (cache, "items-changed", G_CALLBACK (slow_consumer), NULL);
  wt_wait_live (cache);
  g_signal_handler_disconnect (cache, slow_id);
  wt_assert_cache_matches (cache, sim, "pods", NULL);
  g_test_message ("largest backlog: %u chunks", ph_list_cache_get_max_backlog (cache));
  /* The HTTP stream pauses at four, and did have to; a WebSocket
   * cannot be paused. */
  if (fx->strategy == PH_WATCH_STRATEGY_MULTIPLEXED)
    {
      g_assert_cmpuint (ph_list_cache_get_max_backlog (cache), >=, 3);
      /* Four, and one more: a chunk the worker has just handed back is
       * counted both as its result and as in flight for a moment. */
      g_assert_cmpuint (ph_list_cache_get_max_backlog (cache), <=, 5);
    }
  ph_watch_hub_release (fx->hub, cache);
  g_object_unref (cache);
  ph_sim_server_stop (sim);
}

/* With a linger time, a cache outlives its last consumer: it stays live
 * and keeps applying events, and coming back gets the very same cache
 * without a new list; only once the time is up does the upstream close. */
static void
test_linger (Fixture       *fx,
             gconstpointer  data)
{
  PhListCache *cache, *again, *fresh;
  guint lists, watches;

  g_object_set (fx->hub, "linger-seconds", 60, NULL);
  cache = acquire (fx, NULL);
  wt_wait_live (cache);
  lists = ph_list_cache_get_n_lists (cache);
  watches = ph_list_cache_get_n_watches (cache);

  ph_watch_hub_release (fx->hub, cache);
  g_assert_true (ph_list_cache_get_upstream_open (cache));
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 1);
  ph_sim_server_churn_steps (fx->sim, 300);
  wt_wait_cache_matches (cache, fx->sim, "pods", NULL);
  wt_wait_server_watches (fx->sim, 1);

  again = acquire (fx, NULL);
  g_assert_true (again == cache);
  g_assert_cmpint (ph_list_cache_get_state (again), ==, PH_CACHE_STATE_LIVE);
  g_assert_cmpuint (ph_list_cache_get_n_lists (again), ==, lists);
  g_assert_cmpuint (ph_list_cache_get_n_watches (again), ==, watches);
  wt_assert_cache_matches (again, fx->sim, "pods", NULL);
  g_object_unref (again);

  /* Taken back in time, the timer is off: the cache outlives it. */
  g_object_set (fx->hub, "linger-seconds", 1, NULL);
  ph_watch_hub_release (fx->hub, cache);
  wt_spin (300);
  again = acquire (fx, NULL);
  g_assert_true (again == cache);
  g_object_unref (again);
  wt_spin (2000);
  g_assert_true (ph_list_cache_get_upstream_open (cache));
  wt_wait_server_watches (fx->sim, 1);
  g_assert_cmpuint (ph_list_cache_get_n_lists (cache), ==, lists);
  g_assert_cmpuint (ph_list_cache_get_n_watches (cache), ==, watches);

  /* Left for good: closed once the time runs out, as without lingering. */
  ph_watch_hub_release (fx->hub, cache);
  g_assert_true (ph_list_cache_get_upstream_open (cache));
  wt_wait_server_watches (fx->sim, 0);
  g_assert_false (ph_list_cache_get_upstream_open (cache));
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 0);

  fresh = acquire (fx, NULL);
  g_assert_true (fresh != cache);
  g_object_unref (cache);
  wt_wait_live (fresh);
  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait_cache_matches (fresh, fx->sim, "pods", NULL);

  /* Left lingering: disposing the hub must stop it and its timer. */
  release (fx, fresh);
  g_assert_cmpuint (ph_watch_hub_get_n_upstream (fx->hub), ==, 1);
}

/* A lingering cache gives its HTTP/2 stream to a cache that is wanted,
 * which would otherwise be pushed onto a WebSocket. */
static void
test_linger_yields_stream (Fixture       *fx,
                           gconstpointer  data)
{
  PhListCache *a, *b, *c;

  /* Two watch streams, one left free for other requests. */
  g_object_set (fx->hub, "linger-seconds", 60, "max-streams-per-connection", 3, NULL);
  a = acquire (fx, "checkout");
  b = acquire (fx, "kube-system");
  wt_wait_live (a);
  wt_wait_live (b);

  ph_watch_hub_release (fx->hub, a);
  g_assert_true (ph_list_cache_get_upstream_open (a));
  c = acquire (fx, "payments");
  if (fx->strategy == PH_WATCH_STRATEGY_MULTIPLEXED)
    {
      g_assert_false (ph_list_cache_get_upstream_open (a));
      g_assert_cmpuint (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fx->cluster),
                                                             "ph-watch-streams")), ==, 2);
    }
  else
    {
      /* WebSockets have no such limit: nothing to give up. */
      g_assert_true (ph_list_cache_get_upstream_open (a));
    }
  g_object_unref (a);
  wt_wait_live (c);
  ph_sim_server_churn_steps (fx->sim, 100);
  wt_wait_cache_matches (b, fx->sim, "pods", "kube-system");
  wt_wait_cache_matches (c, fx->sim, "pods", "payments");
  release (fx, b);
  release (fx, c);
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    void (*fn) (Fixture *, gconstpointer);
  } tests[] = {
    { "paged-list", test_paged_list },
    { "streaming-list", test_streaming_list },
    { "events", test_events },
    { "rewatch-without-relist", test_rewatch },
    { "relist-on-410", test_relist_on_410 },
    { "streaming-relist-on-410", test_streaming_relist_on_410 },
    { "faults-500", test_faults_500 },
    { "faults-429", test_faults_429 },
    { "clusters-and-namespaces", test_many },
    { "one-upstream-per-query", test_sharing },
    { "forbidden-is-per-cache", test_forbidden },
    { "bookmarks", test_bookmarks },
    { "streaming-list-fallback", test_streaming_list_fallback },
    { "relist-keeps-objects", test_relist_keeps_objects },
    { "backpressure", test_backpressure },
    { "linger", test_linger },
    { "linger-yields-stream", test_linger_yields_stream },
  };

  g_test_init (&argc, &argv, NULL);
  wt_init_logging ();

  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
      {
        g_autofree char *path = g_strdup_printf ("/porthole/watch/%s/%s",
                                                 s ? "websocket" : "multiplexed", tests[i].name);
        g_test_add (path, Fixture, GINT_TO_POINTER (s ? PH_WATCH_STRATEGY_WEBSOCKET
                                                      : PH_WATCH_STRATEGY_MULTIPLEXED),
                    fixture_setup, tests[i].fn, fixture_teardown);
      }

  return g_test_run ();
}
