/* ph-watch-hub.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-list-cache-private.h"
#include "ph-query.h"
#include "ph-watch-hub.h"

typedef struct {
  PhWatchHub  *hub;             /* unowned: the hub outlives its entries */
  PhListCache *cache;
  guint        n_consumers;
  /* With no consumers left: the timer that drops the entry, and when the
   * entry started lingering (the oldest gives way first). */
  guint        linger_source;
  gint64       linger_since;
} Entry;

struct _PhWatchHub
{
  GObject             parent_instance;

  PhListCacheOptions  opts;
  /* PhQuery → Entry.  The key is the query alone, never a
   * resourceVersion: one upstream per query, however often it
   * reconnects. */
  GHashTable         *entries;
  guint               linger_seconds;
};

enum {
  PROP_0,
  PROP_STRATEGY,
  PROP_PAGE_SIZE,
  PROP_WATCH_TIMEOUT,
  PROP_STREAMING_LIST,
  PROP_MAX_STREAMS,
  PROP_INLINE_SCAN,
  PROP_LINGER_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PhWatchHub, ph_watch_hub, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PhWatchStrategy, ph_watch_strategy,
  G_DEFINE_ENUM_VALUE (PH_WATCH_STRATEGY_MULTIPLEXED, "multiplexed"),
  G_DEFINE_ENUM_VALUE (PH_WATCH_STRATEGY_WEBSOCKET, "websocket"))

static void
entry_free (Entry *entry)
{
  g_clear_handle_id (&entry->linger_source, g_source_remove);
  ph_list_cache_stop (entry->cache);
  g_object_unref (entry->cache);
  g_free (entry);
}

static gboolean
entry_is_lingering (gpointer key,
                    gpointer value,
                    gpointer user_data)
{
  return ((Entry *) value)->n_consumers == 0;
}

static void
drop_lingering (PhWatchHub *self)
{
  g_hash_table_foreach_remove (self->entries, entry_is_lingering, NULL);
}

static gboolean
on_linger_timeout (gpointer user_data)
{
  Entry *entry = user_data;

  entry->linger_source = 0;
  g_hash_table_remove (entry->hub->entries, ph_list_cache_get_query (entry->cache));
  return G_SOURCE_REMOVE;
}

/* Multiplexed watches share one HTTP/2 connection per cluster, and past
 * its stream limit new watches fall back to WebSockets (see
 * count_cluster_streams() in ph-list-cache.c, which keeps the count on
 * the cluster).  A lingering cache is only kept in case it comes back,
 * so it gives its stream up to a cache somebody wants now rather than
 * push that one onto a WebSocket: the oldest lingering caches of the
 * cluster are dropped until a stream is free. */
static void
make_room_for_stream (PhWatchHub *self,
                      PhCluster  *cluster)
{
  if (self->opts.strategy != PH_WATCH_STRATEGY_MULTIPLEXED || self->opts.max_streams == 0)
    return;

  for (;;)
    {
      guint n = ph_list_cache_count_watch_streams (cluster);
      GHashTableIter iter;
      gpointer key, value;
      gpointer oldest_key = NULL;
      Entry *oldest = NULL;

      if (n + 1 < self->opts.max_streams)
        return;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Entry *entry = value;

          /* Without an open upstream it holds no stream to give. */
          if (entry->n_consumers > 0 ||
              ph_query_get_cluster (key) != cluster ||
              !ph_list_cache_get_upstream_open (entry->cache))
            continue;
          if (oldest == NULL || entry->linger_since < oldest->linger_since)
            {
              oldest = entry;
              oldest_key = key;
            }
        }
      if (oldest == NULL)
        return;
      g_debug ("Dropping a lingering watch to free an HTTP/2 stream");
      g_hash_table_remove (self->entries, oldest_key);
    }
}

static void
ph_watch_hub_dispose (GObject *object)
{
  PhWatchHub *self = (PhWatchHub *) object;

  if (self->entries != NULL)
    g_hash_table_remove_all (self->entries);

  G_OBJECT_CLASS (ph_watch_hub_parent_class)->dispose (object);
}

static void
ph_watch_hub_finalize (GObject *object)
{
  PhWatchHub *self = (PhWatchHub *) object;

  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (ph_watch_hub_parent_class)->finalize (object);
}

static void
ph_watch_hub_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PhWatchHub *self = PH_WATCH_HUB (object);

  switch (prop_id)
    {
    case PROP_STRATEGY:
      g_value_set_enum (value, self->opts.strategy);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->opts.page_size);
      break;
    case PROP_WATCH_TIMEOUT:
      g_value_set_uint (value, self->opts.watch_timeout_min);
      break;
    case PROP_STREAMING_LIST:
      g_value_set_boolean (value, self->opts.streaming_list);
      break;
    case PROP_MAX_STREAMS:
      g_value_set_uint (value, self->opts.max_streams);
      break;
    case PROP_INLINE_SCAN:
      g_value_set_boolean (value, self->opts.inline_scan);
      break;
    case PROP_LINGER_SECONDS:
      g_value_set_uint (value, self->linger_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_watch_hub_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PhWatchHub *self = PH_WATCH_HUB (object);

  switch (prop_id)
    {
    case PROP_STRATEGY:
      self->opts.strategy = g_value_get_enum (value);
      break;
    case PROP_PAGE_SIZE:
      if (self->opts.page_size != g_value_get_uint (value))
        {
          self->opts.page_size = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_WATCH_TIMEOUT:
      {
        guint t = g_value_get_uint (value);

        if (t == 0)
          {
            self->opts.watch_timeout_min = 300;
            self->opts.watch_timeout_max = 600;
          }
        else
          {
            self->opts.watch_timeout_min = t;
            self->opts.watch_timeout_max = t;
          }
        g_object_notify_by_pspec (object, pspec);
      }
      break;
    case PROP_STREAMING_LIST:
      if (self->opts.streaming_list != g_value_get_boolean (value))
        {
          self->opts.streaming_list = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_MAX_STREAMS:
      if (self->opts.max_streams != g_value_get_uint (value))
        {
          self->opts.max_streams = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_INLINE_SCAN:
      if (self->opts.inline_scan != g_value_get_boolean (value))
        {
          self->opts.inline_scan = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LINGER_SECONDS:
      if (self->linger_seconds != g_value_get_uint (value))
        {
          self->linger_seconds = g_value_get_uint (value);
          /* Caches already lingering keep their time, except that 0
           * means no cache without consumers at all. */
          if (self->linger_seconds == 0)
            drop_lingering (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_watch_hub_class_init (PhWatchHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ph_watch_hub_dispose;
  object_class->finalize = ph_watch_hub_finalize;
  object_class->get_property = ph_watch_hub_get_property;
  object_class->set_property = ph_watch_hub_set_property;

  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", NULL, NULL, PH_TYPE_WATCH_STRATEGY,
                       PH_WATCH_STRATEGY_MULTIPLEXED,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Items per LIST page for caches created from now on. */
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, 100000, 500, flags);
  /* Fixed timeoutSeconds for watches started from now on; 0 restores
   * the default, uniform in [300, 600). */
  properties[PROP_WATCH_TIMEOUT] =
    g_param_spec_uint ("watch-timeout", NULL, NULL, 0, 3600, 0, flags);
  /* Whether to try a streaming list (sendInitialEvents) before paging. */
  properties[PROP_STREAMING_LIST] =
    g_param_spec_boolean ("streaming-list", NULL, NULL, TRUE, flags);

  /* Multiplexed: the HTTP/2 streams a server allows per connection (the
   * apiserver's default is 100); watches past it use WebSockets.  0: no
   * limit. */
  properties[PROP_MAX_STREAMS] =
    g_param_spec_uint ("max-streams-per-connection", NULL, NULL, 0, G_MAXUINT, 100, flags);

  /* Whether a trickle of small watch chunks may be scanned on the main
   * thread while the worker is idle, for caches created from now on.
   * That saves a thread hand-off per chunk, which suits a command line;
   * an application with frames to draw keeps its main thread free. */
  properties[PROP_INLINE_SCAN] =
    g_param_spec_boolean ("inline-scan", NULL, NULL, TRUE, flags);

  /* Seconds a cache stays live after its last consumer left, so that
   * coming back to a query soon finds it live instead of listing it
   * all over again.  0: it stops with the last consumer. */
  properties[PROP_LINGER_SECONDS] =
    g_param_spec_uint ("linger-seconds", NULL, NULL, 0, 24 * 3600, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_watch_hub_init (PhWatchHub *self)
{
  self->opts.page_size = 500;
  self->opts.watch_timeout_min = 300;
  self->opts.watch_timeout_max = 600;
  self->opts.streaming_list = TRUE;
  self->opts.inline_scan = TRUE;
  self->opts.max_streams = 100;
  self->entries = g_hash_table_new_full (ph_query_hash, ph_query_equal,
                                         (GDestroyNotify) ph_query_unref,
                                         (GDestroyNotify) entry_free);
}

PhWatchHub *
ph_watch_hub_new (PhWatchStrategy strategy)
{
  return g_object_new (PH_TYPE_WATCH_HUB, "strategy", strategy, NULL);
}

PhWatchStrategy
ph_watch_hub_get_strategy (PhWatchHub *self)
{
  g_return_val_if_fail (PH_IS_WATCH_HUB (self), PH_WATCH_STRATEGY_MULTIPLEXED);
  return self->opts.strategy;
}

PhListCache *
ph_watch_hub_acquire (PhWatchHub *self,
                      PhQuery    *query)
{
  Entry *entry;

  g_return_val_if_fail (PH_IS_WATCH_HUB (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (ph_query_get_cluster (query) != NULL, NULL);

  entry = g_hash_table_lookup (self->entries, query);
  if (entry == NULL)
    {
      make_room_for_stream (self, ph_query_get_cluster (query));
      entry = g_new0 (Entry, 1);
      entry->hub = self;
      entry->cache = ph_list_cache_new (query, &self->opts);
      g_hash_table_insert (self->entries, ph_query_ref (query), entry);
      ph_list_cache_start (entry->cache);
    }
  /* A lingering cache is live already: it is simply wanted again. */
  g_clear_handle_id (&entry->linger_source, g_source_remove);
  entry->n_consumers++;
  return g_object_ref (entry->cache);
}

void
ph_watch_hub_release (PhWatchHub  *self,
                      PhListCache *cache)
{
  PhQuery *query;
  Entry *entry;

  g_return_if_fail (PH_IS_WATCH_HUB (self));
  g_return_if_fail (PH_IS_LIST_CACHE (cache));

  query = ph_list_cache_get_query (cache);
  entry = g_hash_table_lookup (self->entries, query);
  g_return_if_fail (entry != NULL && entry->cache == cache);

  g_return_if_fail (entry->n_consumers > 0);

  if (--entry->n_consumers > 0)
    return;

  /* Without a linger time the last consumer closes the upstream, even
   * mid-connect: stopping cancels the request.  Otherwise the cache
   * stays live, applying events, until the time runs out. */
  if (self->linger_seconds == 0)
    {
      g_hash_table_remove (self->entries, query);
      return;
    }
  entry->linger_since = g_get_monotonic_time ();
  entry->linger_source = g_timeout_add_seconds (self->linger_seconds, on_linger_timeout, entry);
  g_source_set_name_by_id (entry->linger_source, "[porthole] watch hub linger");
}

guint
ph_watch_hub_get_n_upstream (PhWatchHub *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (PH_IS_WATCH_HUB (self), 0);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (ph_list_cache_get_upstream_open (((Entry *) value)->cache))
      n++;
  return n;
}

gboolean
ph_watch_strategy_from_string (const char      *str,
                               PhWatchStrategy *out_strategy)
{
  g_return_val_if_fail (out_strategy != NULL, FALSE);

  if (g_strcmp0 (str, "multiplexed") == 0)
    *out_strategy = PH_WATCH_STRATEGY_MULTIPLEXED;
  else if (g_strcmp0 (str, "websocket") == 0)
    *out_strategy = PH_WATCH_STRATEGY_WEBSOCKET;
  else
    return FALSE;
  return TRUE;
}

const char *
ph_watch_strategy_to_string (PhWatchStrategy strategy)
{
  switch (strategy)
    {
    case PH_WATCH_STRATEGY_MULTIPLEXED: return "multiplexed";
    case PH_WATCH_STRATEGY_WEBSOCKET: return "websocket";
    default: return NULL;
    }
}
