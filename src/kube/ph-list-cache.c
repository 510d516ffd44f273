/* ph-list-cache.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-cluster.h"
#include "ph-json-scan.h"
#include "ph-kube-error.h"
#include "ph-list-cache-private.h"
#include "ph-object-private.h"
#include "ph-query.h"

/* The cache is two halves joined by a queue.  On the main thread: the
 * model (a GSequence in arrival order plus a uid index), the reflector
 * state machine and the network I/O, which only moves bytes.  On a worker
 * (a GThreadPool of at most one thread per cache, so its work stays in
 * order): splitting watch streams into lines and scanning list pages and
 * events into PhObjectFields.  Results come back through an idle source
 * that applies everything that arrived, then emits one items-changed per
 * contiguous range. */

#define READ_BLOCK_SIZE (64 * 1024)
#define INLINE_MAX (32 * 1024)
#define DISPATCH_BUDGET_US (6 * 1000)
#define DISPATCH_PAUSE_MS 1
#define READ_BACKLOG_MAX 4
#define BACKOFF_INITIAL_S 0.8
#define BACKOFF_MAX_S 30.0
#define HEALTHY_RESET_US (120 * G_USEC_PER_SEC)
#define STALE_AFTER_FAILURES 3
#define WS_MAX_PAYLOAD (256 * 1024 * 1024)

G_DEFINE_ENUM_TYPE (PhCacheState, ph_cache_state,
  G_DEFINE_ENUM_VALUE (PH_CACHE_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (PH_CACHE_STATE_LIVE, "live"),
  G_DEFINE_ENUM_VALUE (PH_CACHE_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (PH_CACHE_STATE_STALE, "stale"),
  G_DEFINE_ENUM_VALUE (PH_CACHE_STATE_ERROR, "error"))

const char *
ph_cache_state_to_string (PhCacheState state)
{
  switch (state)
    {
    case PH_CACHE_STATE_SYNCING: return "syncing";
    case PH_CACHE_STATE_LIVE: return "live";
    case PH_CACHE_STATE_RECONNECTING: return "reconnecting";
    case PH_CACHE_STATE_STALE: return "stale";
    case PH_CACHE_STATE_ERROR: return "error";
    default: return "unknown";
    }
}

/* ------------------------------------------------------------------ */
/* Worker side                                                         */

typedef enum {
  EVENT_ADDED,
  EVENT_MODIFIED,
  EVENT_DELETED,
  EVENT_BOOKMARK,
  EVENT_ERROR,
} EventType;

typedef struct {
  EventType       type;
  PhObjectFields *fields;      /* ADDED, MODIFIED, DELETED */
  char           *rv;          /* BOOKMARK */
  gboolean        initial_end; /* BOOKMARK */
  gint64          code;        /* ERROR */
  char           *message;     /* ERROR */
} Event;

static void
event_clear (Event *ev)
{
  g_clear_pointer (&ev->fields, ph_object_fields_free);
  g_clear_pointer (&ev->rv, g_free);
  g_clear_pointer (&ev->message, g_free);
}

typedef struct {
  GPtrArray *items;        /* PhObjectFields */
  char      *rv;
  char      *continue_token;
  gint64     remaining;    /* -1 when absent */
} ListPage;

static void
list_page_free (ListPage *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->rv);
  g_free (page->continue_token);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListPage, list_page_free)

typedef enum {
  WORK_LIST_PAGE,
  WORK_STREAM_CHUNK,
  WORK_MESSAGE,
  WORK_STREAM_END,
} WorkKind;

typedef struct _Pipe Pipe;

typedef struct {
  WorkKind  kind;
  guint     epoch;
  GBytes   *data;
  Pipe     *pipe;
} Work;

typedef struct {
  WorkKind  kind;
  guint     epoch;
  ListPage *page;
  GArray   *events;   /* Event */
  GError   *error;
} Result;

struct _Pipe
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GQueue           results;
  gboolean         idle_pending;
  GMainContext    *context;
  GWeakRef         cache;
  PhKindId         kind;
  GThreadPool     *pool;
  int              in_flight;   /* work pushed to the pool, not yet done */

  /* Touched by the worker only (one at a time, in order). */
  GByteArray      *partial;
  guint            partial_epoch;
};

static Pipe *
pipe_ref (Pipe *pipe)
{
  g_atomic_ref_count_inc (&pipe->ref_count);
  return pipe;
}

static void result_free (Result *r);

static void
pipe_unref (Pipe *pipe)
{
  if (!g_atomic_ref_count_dec (&pipe->ref_count))
    return;
  g_queue_clear_full (&pipe->results, (GDestroyNotify) result_free);
  g_mutex_clear (&pipe->mutex);
  g_weak_ref_clear (&pipe->cache);
  g_main_context_unref (pipe->context);
  g_clear_pointer (&pipe->partial, g_byte_array_unref);
  g_free (pipe);
}

static void
work_free (Work *w)
{
  g_clear_pointer (&w->data, g_bytes_unref);
  g_clear_pointer (&w->pipe, pipe_unref);
  g_free (w);
}

static void
result_free (Result *r)
{
  g_clear_pointer (&r->page, list_page_free);
  g_clear_pointer (&r->events, g_array_unref);
  g_clear_error (&r->error);
  g_free (r);
}

static GArray *
events_new (void)
{
  GArray *events = g_array_new (FALSE, TRUE, sizeof (Event));

  g_array_set_clear_func (events, (GDestroyNotify) event_clear);
  return events;
}

/* A Status object (an ERROR event's payload): code and message. */
static void
scan_status (const char *p,
             gsize       len,
             gint64     *code,
             char      **message)
{
  PhJsonScan s;
  const char *key;
  gsize key_len;

  ph_json_scan_init (&s, p, len);
  if (!ph_json_scan_enter_object (&s))
    return;
  while (ph_json_scan_next_member (&s, &key, &key_len))
    {
      if (PH_JSON_KEY_IS (key, key_len, "code"))
        ph_json_scan_read_int (&s, code);
      else if (PH_JSON_KEY_IS (key, key_len, "message") && *message == NULL)
        *message = ph_json_scan_dup_string (&s);
      else
        ph_json_scan_skip (&s);
    }
}

/* A BOOKMARK's object: only metadata.resourceVersion and the
 * initial-events-end annotation matter. */
static void
scan_bookmark (const char *p,
               gsize       len,
               Event      *ev)
{
  PhJsonScan s;
  const char *key;
  gsize key_len;

  ph_json_scan_init (&s, p, len);
  if (!ph_json_scan_enter_object (&s))
    return;
  while (ph_json_scan_next_member (&s, &key, &key_len))
    {
      if (!PH_JSON_KEY_IS (key, key_len, "metadata") || !ph_json_scan_enter_object (&s))
        {
          ph_json_scan_skip (&s);
          continue;
        }
      while (ph_json_scan_next_member (&s, &key, &key_len))
        {
          if (PH_JSON_KEY_IS (key, key_len, "resourceVersion"))
            {
              g_free (ev->rv);
              ev->rv = ph_json_scan_dup_string (&s);
            }
          else if (PH_JSON_KEY_IS (key, key_len, "annotations") &&
                   ph_json_scan_peek (&s) == PH_JSON_OBJECT)
            {
              ph_json_scan_enter_object (&s);
              while (ph_json_scan_next_member (&s, &key, &key_len))
                {
                  if (PH_JSON_KEY_IS (key, key_len, "k8s.io/initial-events-end"))
                    {
                      g_autofree char *v = ph_json_scan_dup_string (&s);
                      ev->initial_end = g_strcmp0 (v, "true") == 0;
                    }
                  else
                    ph_json_scan_skip (&s);
                }
            }
          else
            ph_json_scan_skip (&s);
        }
    }
}

static gboolean
parse_event (const char  *data,
             gsize        len,
             PhKindId     kind,
             Event       *ev,
             GError     **error)
{
  PhJsonScan s;
  const char *key;
  gsize key_len;
  g_autofree char *type = NULL;
  const char *obj = NULL;
  gsize obj_len = 0;

  memset (ev, 0, sizeof *ev);
  ph_json_scan_init (&s, data, len);
  if (ph_json_scan_enter_object (&s))
    {
      while (ph_json_scan_next_member (&s, &key, &key_len))
        {
          if (PH_JSON_KEY_IS (key, key_len, "type") && type == NULL)
            type = ph_json_scan_dup_string (&s);
          else if (PH_JSON_KEY_IS (key, key_len, "object"))
            ph_json_scan_span (&s, &obj, &obj_len);
          else
            ph_json_scan_skip (&s);
        }
    }
  if (ph_json_scan_failed (&s) || !ph_json_scan_at_end (&s) || type == NULL || obj == NULL)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "Malformed watch event (%" G_GSIZE_FORMAT " bytes): %.*s",
                   len, (int) MIN (len, 120), data);
      return FALSE;
    }

  if (strcmp (type, "ERROR") == 0)
    {
      ev->type = EVENT_ERROR;
      scan_status (obj, obj_len, &ev->code, &ev->message);
      return TRUE;
    }
  if (strcmp (type, "BOOKMARK") == 0)
    {
      ev->type = EVENT_BOOKMARK;
      scan_bookmark (obj, obj_len, ev);
      if (ev->rv == NULL || *ev->rv == '\0')
        {
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                       "Bookmark without resourceVersion");
          event_clear (ev);
          return FALSE;
        }
      return TRUE;
    }
  if (strcmp (type, "ADDED") == 0)
    ev->type = EVENT_ADDED;
  else if (strcmp (type, "MODIFIED") == 0)
    ev->type = EVENT_MODIFIED;
  else if (strcmp (type, "DELETED") == 0)
    ev->type = EVENT_DELETED;
  else
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "Unknown watch event type “%s”", type);
      return FALSE;
    }

  ev->fields = ph_object_fields_new (obj, obj_len, kind, error);
  if (ev->fields == NULL)
    return FALSE;
  /* A Status where an object belongs must never reach the cache. */
  if (strcmp (ph_object_fields_get (ev->fields, PH_SLOT_KIND), "Status") == 0)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "Status object in a %s event", type);
      event_clear (ev);
      return FALSE;
    }
  return TRUE;
}

/* Splits @data into lines (prepending what an earlier chunk left) and
 * parses each; an incomplete last line stays in @partial. */
static GArray *
parse_stream_chunk (GByteArray  *partial,
                    const char  *data,
                    gsize        len,
                    PhKindId     kind,
                    GError     **error)
{
  GArray *events = events_new ();
  const char *p = data;
  const char *end = data + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line;
      gsize line_len;
      Event ev;

      if (nl == NULL)
        {
          g_byte_array_append (partial, (const guint8 *) p, end - p);
          break;
        }
      if (partial->len > 0)
        {
          g_byte_array_append (partial, (const guint8 *) p, nl - p);
          line = (const char *) partial->data;
          line_len = partial->len;
        }
      else
        {
          line = p;
          line_len = nl - p;
        }
      p = nl + 1;

      /* Blank lines (keep-alives) carry nothing. */
      {
        gsize i = 0;

        while (i < line_len && g_ascii_isspace (line[i]))
          i++;
        if (i == line_len)
          {
            g_byte_array_set_size (partial, 0);
            continue;
          }
      }

      if (!parse_event (line, line_len, kind, &ev, error))
        {
          g_byte_array_set_size (partial, 0);
          g_array_unref (events);
          return NULL;
        }
      g_array_append_val (events, ev);
      g_byte_array_set_size (partial, 0);
    }

  return events;
}

static ListPage *
parse_list_page (const char  *data,
                 gsize        len,
                 PhKindId     kind,
                 GError     **error)
{
  g_autoptr(ListPage) page = g_new0 (ListPage, 1);
  PhJsonScan s;
  const char *key;
  gsize key_len;
  g_autofree char *list_kind = NULL;

  page->items = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_object_fields_free);
  page->remaining = -1;

  ph_json_scan_init (&s, data, len);
  if (ph_json_scan_enter_object (&s))
    {
      while (ph_json_scan_next_member (&s, &key, &key_len))
        {
          if (PH_JSON_KEY_IS (key, key_len, "kind") && list_kind == NULL)
            list_kind = ph_json_scan_dup_string (&s);
          else if (PH_JSON_KEY_IS (key, key_len, "metadata") && ph_json_scan_enter_object (&s))
            {
              while (ph_json_scan_next_member (&s, &key, &key_len))
                {
                  if (PH_JSON_KEY_IS (key, key_len, "resourceVersion"))
                    {
                      g_free (page->rv);
                      page->rv = ph_json_scan_dup_string (&s);
                    }
                  else if (PH_JSON_KEY_IS (key, key_len, "continue"))
                    {
                      g_free (page->continue_token);
                      page->continue_token = ph_json_scan_dup_string (&s);
                    }
                  else if (PH_JSON_KEY_IS (key, key_len, "remainingItemCount"))
                    ph_json_scan_read_int (&s, &page->remaining);
                  else
                    ph_json_scan_skip (&s);
                }
            }
          else if (PH_JSON_KEY_IS (key, key_len, "items") &&
                   ph_json_scan_peek (&s) == PH_JSON_ARRAY)
            {
              ph_json_scan_enter_array (&s);
              while (ph_json_scan_next_element (&s))
                {
                  const char *item;
                  gsize item_len;
                  PhObjectFields *f;

                  if (!ph_json_scan_span (&s, &item, &item_len))
                    break;
                  f = ph_object_fields_new (item, item_len, kind, error);
                  if (f == NULL)
                    {
                      g_prefix_error (error, "List item %u: ", page->items->len);
                      return NULL;
                    }
                  g_ptr_array_add (page->items, f);
                }
            }
          else
            ph_json_scan_skip (&s);
        }
    }

  if (ph_json_scan_failed (&s) || !ph_json_scan_at_end (&s))
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "Malformed list response at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT,
                   (gsize) (s.p - data), len);
      return NULL;
    }
  if (g_strcmp0 (list_kind, "Status") == 0)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "The server answered a list with a Status object");
      return NULL;
    }
  if (page->rv == NULL || *page->rv == '\0')
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "List response without metadata.resourceVersion");
      return NULL;
    }
  if (page->continue_token != NULL && *page->continue_token == '\0')
    g_clear_pointer (&page->continue_token, g_free);

  return g_steal_pointer (&page);
}

static Result *
do_work (Pipe *pipe,
         Work *w)
{
  Result *r = g_new0 (Result, 1);
  gsize len = 0;
  const char *data = w->data ? g_bytes_get_data (w->data, &len) : NULL;

  r->kind = w->kind;
  r->epoch = w->epoch;

  if (pipe->partial_epoch != w->epoch)
    {
      g_byte_array_set_size (pipe->partial, 0);
      pipe->partial_epoch = w->epoch;
    }

  switch (w->kind)
    {
    case WORK_LIST_PAGE:
      r->page = parse_list_page (data, len, pipe->kind, &r->error);
      break;

    case WORK_STREAM_CHUNK:
      r->events = parse_stream_chunk (pipe->partial, data, len, pipe->kind, &r->error);
      break;

    case WORK_MESSAGE:
      {
        Event ev;

        r->events = events_new ();
        if (parse_event (data, len, pipe->kind, &ev, &r->error))
          g_array_append_val (r->events, ev);
      }
      break;

    case WORK_STREAM_END:
      /* A last event without its newline still counts. */
      if (pipe->partial->len > 0)
        {
          static const char nl = '\n';

          r->events = parse_stream_chunk (pipe->partial, &nl, 1, pipe->kind, &r->error);
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return r;
}

static gboolean pipe_dispatch (gpointer user_data);

/* Results are applied at default priority, above GTK's layout and paint:
 * a main loop whose frames take longer than their interval (software
 * rendering, a spinner) never gets to anything below those.  Each
 * dispatch stops after DISPATCH_BUDGET_US and resumes after a short
 * timeout: a frame that fell due meanwhile is ready before it and gets
 * painted first, so a burst cannot hold frames back either. */
static void
pipe_schedule (Pipe    *pipe,
               GSource *source)
{
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, pipe_dispatch, pipe_ref (pipe), (GDestroyNotify) pipe_unref);
  g_source_set_static_name (source, "[porthole] list cache results");
  g_source_attach (source, pipe->context);
  g_source_unref (source);
}

static void
pipe_push_result (Pipe   *pipe,
                  Result *r)
{
  gboolean schedule;

  g_mutex_lock (&pipe->mutex);
  g_queue_push_tail (&pipe->results, r);
  schedule = !pipe->idle_pending;
  pipe->idle_pending = TRUE;
  g_mutex_unlock (&pipe->mutex);

  if (schedule)
    pipe_schedule (pipe, g_idle_source_new ());
}

static void
worker_func (gpointer data,
             gpointer user_data)
{
  Work *w = data;
  Pipe *pipe = pipe_ref (w->pipe);

  pipe_push_result (pipe, do_work (pipe, w));
  work_free (w);
  g_atomic_int_dec_and_test (&pipe->in_flight);
  pipe_unref (pipe);
}

/* ------------------------------------------------------------------ */
/* The cache                                                           */

typedef enum {
  PHASE_LIST,
  PHASE_WATCH,
} Phase;

struct _PhListCache
{
  GObject                  parent_instance;

  PhQuery                 *query;
  PhListCacheOptions       opts;
  const char              *context;

  /* The model. */
  GSequence               *items;
  GHashTable              *by_uid;
  guint                    n_items;
  guint                    generation;
  GPtrArray               *pending_adds;
  GPtrArray               *pending_removes;
  GPtrArray               *pending_updates;

  /* Visible state. */
  PhCacheState             state;
  char                    *error_message;
  GError                  *error;          /* the last failure, for its code */
  gint64                   last_event_time;
  gint64                   retry_time;
  guint                    synced_items;
  guint                    expected_items;

  /* The reflector. */
  Pipe                    *pipe;
  gboolean                 running;
  gboolean                 synced_once;
  Phase                    phase;
  guint                    epoch;
  GCancellable            *cancellable;
  gboolean                 upstream_open;
  char                    *last_rv;
  char                    *list_rv;
  char                    *continue_token;
  gboolean                 list_from_last_rv;
  gboolean                 streaming_list;
  gboolean                 watch_list_active;
  GInputStream            *stream;
  gpointer                 paused_read;   /* a Call waiting for the backlog to clear */
  guint                    max_backlog;
  gboolean                 stream_counted;
  SoupWebsocketConnection *ws;
  guint                    backoff_source;
  guint                    n_failures;
  gint64                   live_since;
  gint64                   watch_started;
  guint                    watch_events;
  guint                    n_lists;
  guint                    n_watches;
  guint64                  n_events;
};

enum {
  PROP_0,
  PROP_QUERY,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_LAST_EVENT_TIME,
  PROP_RETRY_TIME,
  PROP_SYNCED_ITEMS,
  PROP_EXPECTED_ITEMS,
  PROP_N_ITEMS,
  PROP_ITEM_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_OBJECTS_UPDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PhListCache, ph_list_cache, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void handle_result (PhListCache *self, Result *r);
static void paused_read_free (gpointer call);
static void flush (PhListCache *self);
static void resume_reading (PhListCache *self);
static void begin_sync (PhListCache *self);
static void start_watch (PhListCache *self, gboolean initial_events);

/* Chunks read but not yet applied: scanning on the worker or waiting
 * for the main loop. */
static guint
pipe_backlog (Pipe *pipe)
{
  guint n;

  g_mutex_lock (&pipe->mutex);
  n = g_queue_get_length (&pipe->results);
  g_mutex_unlock (&pipe->mutex);

  return n + g_atomic_int_get (&pipe->in_flight);
}

static gboolean
pipe_dispatch (gpointer user_data)
{
  Pipe *pipe = user_data;
  g_autoptr(PhListCache) self = g_weak_ref_get (&pipe->cache);
  gint64 deadline = g_get_monotonic_time () + DISPATCH_BUDGET_US;
  Result *r;

  for (;;)
    {
      g_mutex_lock (&pipe->mutex);
      r = g_queue_pop_head (&pipe->results);
      if (r == NULL)
        pipe->idle_pending = FALSE;
      g_mutex_unlock (&pipe->mutex);
      if (r == NULL)
        break;

      if (self != NULL)
        handle_result (self, r);
      result_free (r);

      if (g_get_monotonic_time () >= deadline)
        {
          /* More may be waiting: idle_pending stays set for the pause. */
          pipe_schedule (pipe, g_timeout_source_new (DISPATCH_PAUSE_MS));
          break;
        }
    }
  if (self != NULL)
    {
      flush (self);
      resume_reading (self);
    }

  return G_SOURCE_REMOVE;
}

static void
pipe_push_work (PhListCache *self,
                WorkKind     kind,
                GBytes      *data)
{
  Work *w = g_new0 (Work, 1);

  w->kind = kind;
  w->epoch = self->epoch;
  w->data = data ? g_bytes_ref (data) : NULL;
  w->pipe = pipe_ref (self->pipe);

  /* A trickle of small chunks (a few events each) costs more in thread
   * hand-offs than in scanning: scan those here when the worker has
   * nothing queued, which keeps the results in order. */
  if (self->opts.inline_scan &&
      g_atomic_int_get (&self->pipe->in_flight) == 0 &&
      (data == NULL || g_bytes_get_size (data) <= INLINE_MAX))
    {
      pipe_push_result (self->pipe, do_work (self->pipe, w));
      work_free (w);
      return;
    }

  g_atomic_int_inc (&self->pipe->in_flight);
  g_thread_pool_push (self->pipe->pool, w, NULL);
}

/* Scans and applies a small chunk right here when the worker is idle,
 * after whatever results it already queued: a trickle of single events
 * then costs neither a thread hand-off nor a main-loop round trip.
 * Only for callers that may see the connection torn down under them
 * (they must check the epoch afterwards).  Returns FALSE when the work
 * has to go through the worker. */
static gboolean
handle_inline (PhListCache *self,
               WorkKind     kind,
               GBytes      *data)
{
  Work w = { kind, self->epoch, data, self->pipe };
  GQueue earlier = G_QUEUE_INIT;
  Result *r;

  if (!self->opts.inline_scan ||
      g_atomic_int_get (&self->pipe->in_flight) != 0 ||
      (data != NULL && g_bytes_get_size (data) > INLINE_MAX))
    return FALSE;

  g_mutex_lock (&self->pipe->mutex);
  earlier = self->pipe->results;
  g_queue_init (&self->pipe->results);
  g_mutex_unlock (&self->pipe->mutex);

  while ((r = g_queue_pop_head (&earlier)))
    {
      handle_result (self, r);
      result_free (r);
    }
  r = do_work (self->pipe, &w);
  handle_result (self, r);
  result_free (r);
  flush (self);
  return TRUE;
}

/* --- GListModel ----------------------------------------------------- */

static GType
list_get_item_type (GListModel *model)
{
  return PH_TYPE_OBJECT;
}

static guint
list_get_n_items (GListModel *model)
{
  return PH_LIST_CACHE (model)->n_items;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  PhListCache *self = PH_LIST_CACHE (model);
  GSequenceIter *iter;

  if (position >= self->n_items)
    return NULL;
  iter = g_sequence_get_iter_at_pos (self->items, position);
  return g_object_ref (g_sequence_get (iter));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* --- Applying changes ----------------------------------------------- */

static void
upsert (PhListCache    *self,
        PhObjectFields *fields)
{
  const char *uid = ph_object_fields_get (fields, PH_SLOT_UID);
  PhObject *obj = g_hash_table_lookup (self->by_uid, uid);

  if (obj != NULL)
    {
      obj->cache_generation = self->generation;
      /* resourceVersions are opaque: equal means unchanged, nothing else. */
      if (strcmp (ph_object_fields_get (&obj->f, PH_SLOT_RESOURCE_VERSION),
                  ph_object_fields_get (fields, PH_SLOT_RESOURCE_VERSION)) == 0)
        {
          ph_object_fields_free (fields);
          return;
        }
      ph_object_update_take_fields (obj, fields);
      if (!obj->cache_pending_update && !obj->cache_pending_add)
        {
          obj->cache_pending_update = TRUE;
          g_ptr_array_add (self->pending_updates, g_object_ref (obj));
        }
      return;
    }

  obj = ph_object_new_take_fields (fields, self->context);
  obj->cache_generation = self->generation;
  obj->cache_pending_add = TRUE;
  g_hash_table_insert (self->by_uid, g_strdup (ph_object_get_uid (obj)), obj);
  g_ptr_array_add (self->pending_adds, g_object_ref (obj));
}

static void
remove_object (PhListCache *self,
               PhObject    *obj)
{
  if (obj->cache_pending_add)
    obj->cache_pending_add = FALSE; /* never shown: flush skips it */
  else
    g_ptr_array_add (self->pending_removes, g_object_ref (obj));
}

static void
remove_uid (PhListCache *self,
            const char  *uid)
{
  PhObject *obj = g_hash_table_lookup (self->by_uid, uid);

  if (obj == NULL)
    return;
  remove_object (self, obj);
  g_hash_table_remove (self->by_uid, uid);
}

/* After a complete list: whatever the list did not mention is gone. */
static void
sweep (PhListCache *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_uid);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      PhObject *obj = value;

      if (obj->cache_generation != self->generation)
        {
          remove_object (self, obj);
          g_hash_table_iter_remove (&iter);
        }
    }
}

static int
compare_desc (gconstpointer a,
              gconstpointer b)
{
  guint pa = *(const guint *) a;
  guint pb = *(const guint *) b;

  return pa < pb ? 1 : pa > pb ? -1 : 0;
}

static void
flush (PhListCache *self)
{
  guint old_n = self->n_items;

  if (self->pending_removes->len > 0)
    {
      g_autoptr(GPtrArray) removes = g_steal_pointer (&self->pending_removes);
      g_autoptr(GArray) positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), removes->len);
      guint i = 0;

      self->pending_removes = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint k = 0; k < removes->len; k++)
        {
          PhObject *obj = g_ptr_array_index (removes, k);
          guint pos = g_sequence_iter_get_position (obj->cache_iter);

          g_array_append_val (positions, pos);
          obj->cache_iter = NULL;
        }
      g_array_sort (positions, compare_desc);

      /* From the end backwards, so that every emission describes the
       * model exactly as it is at that moment. */
      while (i < positions->len)
        {
          guint hi = g_array_index (positions, guint, i);
          guint lo = hi;
          GSequenceIter *begin, *end;

          i++;
          while (i < positions->len && g_array_index (positions, guint, i) == lo - 1)
            {
              lo--;
              i++;
            }
          begin = g_sequence_get_iter_at_pos (self->items, lo);
          end = g_sequence_get_iter_at_pos (self->items, hi + 1);
          g_sequence_remove_range (begin, end);
          self->n_items -= hi - lo + 1;
          g_list_model_items_changed (G_LIST_MODEL (self), lo, hi - lo + 1, 0);
        }
    }

  if (self->pending_adds->len > 0)
    {
      g_autoptr(GPtrArray) adds = g_steal_pointer (&self->pending_adds);
      guint pos = self->n_items;
      guint added = 0;

      self->pending_adds = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint k = 0; k < adds->len; k++)
        {
          PhObject *obj = g_ptr_array_index (adds, k);

          if (!obj->cache_pending_add)
            continue;
          obj->cache_pending_add = FALSE;
          obj->cache_iter = g_sequence_append (self->items, g_object_ref (obj));
          added++;
        }
      self->n_items += added;
      if (added > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, added);
    }

  if (self->pending_updates->len > 0)
    {
      g_autoptr(GPtrArray) updates = g_steal_pointer (&self->pending_updates);

      self->pending_updates = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint k = 0; k < updates->len; k++)
        ((PhObject *) g_ptr_array_index (updates, k))->cache_pending_update = FALSE;
      g_signal_emit (self, signals[SIGNAL_OBJECTS_UPDATED], 0, updates);
    }

  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* --- State ---------------------------------------------------------- */

static void
set_state (PhListCache  *self,
           PhCacheState  state,
           const GError *error)
{
  const char *message = error != NULL ? error->message : NULL;

  /* The error and its message change together; "error-message" notifies
   * for both. */
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  if (state == PH_CACHE_STATE_LIVE && self->state != PH_CACHE_STATE_LIVE)
    self->live_since = g_get_monotonic_time ();
  if (self->state != state)
    {
      g_debug ("%s: %s → %s", self->context, ph_cache_state_to_string (self->state),
               ph_cache_state_to_string (state));
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
set_retry_time (PhListCache *self,
                gint64       t)
{
  if (self->retry_time != t)
    {
      self->retry_time = t;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_TIME]);
    }
}

static void
set_progress (PhListCache *self,
              guint        synced,
              guint        expected)
{
  if (self->synced_items != synced)
    {
      self->synced_items = synced;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED_ITEMS]);
    }
  if (self->expected_items != expected)
    {
      self->expected_items = expected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPECTED_ITEMS]);
    }
}

static void
touch (PhListCache *self)
{
  self->last_event_time = g_get_real_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_EVENT_TIME]);
}

static void
set_last_rv (PhListCache *self,
             const char  *rv)
{
  if (rv == NULL || *rv == '\0' || g_strcmp0 (self->last_rv, rv) == 0)
    return;
  g_free (self->last_rv);
  self->last_rv = g_strdup (rv);
}

/* --- Connections ---------------------------------------------------- */

static void
on_ws_message (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data);
static void
on_ws_closed (SoupWebsocketConnection *ws,
              gpointer                 user_data);

guint
ph_list_cache_count_watch_streams (PhCluster *cluster)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cluster), "ph-watch-streams"));
}

/* Watch streams open on the cluster's session, across all caches.
 * libsoup queues HTTP/2 streams beyond the server's
 * MAX_CONCURRENT_STREAMS on the one connection instead of opening
 * another, and a queued watch never starts: past the limit, watches
 * travel as WebSockets, which get connections of their own. */
static guint
count_cluster_streams (PhListCache *self,
                       int          delta)
{
  GObject *cluster = G_OBJECT (ph_query_get_cluster (self->query));
  guint n = ph_list_cache_count_watch_streams (ph_query_get_cluster (self->query));

  if (delta != 0)
    {
      g_assert (delta > 0 || n > 0);
      n += delta;
      g_object_set_data (cluster, "ph-watch-streams", GUINT_TO_POINTER (n));
    }
  return n;
}

/* Drops whatever connection is open; results still queued for it are
 * ignored because the epoch moves on. */
static void
teardown (PhListCache *self)
{
  self->epoch++;
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  if (self->stream != NULL)
    {
      g_input_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&self->stream);
    }
  if (self->stream_counted)
    {
      count_cluster_streams (self, -1);
      self->stream_counted = FALSE;
    }
  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->ws);
    }
  g_clear_pointer (&self->paused_read, paused_read_free);
  self->upstream_open = FALSE;
}

static GCancellable *
new_connection (PhListCache *self)
{
  teardown (self);
  self->cancellable = g_cancellable_new ();
  self->upstream_open = TRUE;
  return self->cancellable;
}

typedef struct {
  PhListCache *self;
  guint        epoch;
  gboolean     initial_events;
  guint8      *buf;           /* a watch stream's read buffer */
} Call;

static Call *
call_new (PhListCache *self)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->epoch = self->epoch;
  return call;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call->buf);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
paused_read_free (gpointer call)
{
  call_free (call);
}

static gboolean
call_is_current (Call *call)
{
  return call->self->running && call->epoch == call->self->epoch;
}

static gboolean
on_backoff_done (gpointer user_data)
{
  PhListCache *self = user_data;

  self->backoff_source = 0;
  set_retry_time (self, 0);
  if (self->phase == PHASE_LIST)
    begin_sync (self);
  else
    start_watch (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
is_permanent (const GError *error)
{
  return g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_FORBIDDEN) ||
         g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND) ||
         g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG) ||
         g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC);
}

/* Every failure ends here: permanent ones (403, 401 after the cluster's
 * refresh, 404) put this cache alone into the error state; the rest
 * retry after a full-jitter exponential backoff. */
static void
fail (PhListCache  *self,
      const GError *error)
{
  gint64 now = g_get_monotonic_time ();
  double cap, delay;

  teardown (self);
  g_debug ("%s: %s", self->context, error->message);

  if (is_permanent (error))
    {
      set_retry_time (self, 0);
      set_state (self, PH_CACHE_STATE_ERROR, error);
      return;
    }

  if (self->live_since != 0 && self->state == PH_CACHE_STATE_LIVE &&
      now - self->live_since >= HEALTHY_RESET_US)
    self->n_failures = 0;
  self->live_since = 0;
  self->n_failures++;

  cap = MIN (BACKOFF_MAX_S, BACKOFF_INITIAL_S * (1u << MIN (self->n_failures - 1, 10u)));
  delay = g_random_double_range (0, cap);

  g_clear_handle_id (&self->backoff_source, g_source_remove);
  self->backoff_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (delay * 1000),
                                             on_backoff_done, self, NULL);
  set_retry_time (self, g_get_real_time () + (gint64) (delay * G_USEC_PER_SEC));
  set_state (self,
             (self->synced_once && self->n_failures >= STALE_AFTER_FAILURES)
               ? PH_CACHE_STATE_STALE : PH_CACHE_STATE_RECONNECTING,
             error);
}

static void
fail_literal (PhListCache *self,
              PhKubeError  code,
              const char  *message)
{
  g_autoptr(GError) error = g_error_new_literal (PH_KUBE_ERROR, code, message);
  fail (self, error);
}

/* --- LIST ----------------------------------------------------------- */

static void request_page (PhListCache *self);

static void
on_page_response (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  PhListCache *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  body = ph_cluster_request_finish (PH_CLUSTER (source), result, &status, &error);
  if (!call_is_current (call))
    return;

  if (body == NULL)
    {
      if (g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_GONE) &&
          (self->continue_token != NULL || self->list_from_last_rv))
        {
          /* An expired continue token or a too-old resourceVersion: list
           * again from the newest state right away.  A 410 for that too
           * is a plain failure (below), with backoff. */
          g_debug ("%s: list got 410, relisting from scratch", self->context);
          self->list_from_last_rv = FALSE;
          g_clear_pointer (&self->continue_token, g_free);
          request_page (self);
          return;
        }
      fail (self, error);
      return;
    }

  self->upstream_open = FALSE;
  pipe_push_work (self, WORK_LIST_PAGE, body);
}

static void
request_page (PhListCache *self)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *base = ph_query_build_path (self->query);
  g_autofree char *selectors = ph_query_build_selector_params (self->query);
  GCancellable *cancellable;

  g_string_printf (path, "%s?limit=%u%s", base, self->opts.page_size, selectors);
  if (self->continue_token != NULL)
    {
      g_autofree char *c = g_uri_escape_string (self->continue_token, NULL, FALSE);
      g_string_append_printf (path, "&continue=%s", c);
    }
  else if (self->list_from_last_rv && self->last_rv != NULL)
    {
      g_autofree char *rv = g_uri_escape_string (self->last_rv, NULL, FALSE);
      g_string_append_printf (path, "&resourceVersion=%s&resourceVersionMatch=NotOlderThan", rv);
    }

  cancellable = new_connection (self);
  self->n_lists++;
  ph_cluster_request_async (ph_query_get_cluster (self->query), "GET", path->str,
                            NULL, NULL, cancellable, on_page_response, call_new (self));
}

static void
start_list (PhListCache *self)
{
  self->phase = PHASE_LIST;
  self->generation++;
  g_clear_pointer (&self->continue_token, g_free);
  g_clear_pointer (&self->list_rv, g_free);
  set_progress (self, 0, 0);
  request_page (self);
}

/* Applies one list page; the last one (no continue token) removes what
 * the whole list did not mention. */
static void
apply_list_page (PhListCache *self,
                 ListPage    *page,
                 gboolean     first_page)
{
  guint expected;

  if (first_page || self->list_rv == NULL)
    {
      g_free (self->list_rv);
      self->list_rv = g_strdup (page->rv);
    }
  for (guint i = 0; i < page->items->len; i++)
    upsert (self, g_steal_pointer (&g_ptr_array_index (page->items, i)));

  if (page->remaining >= 0)
    expected = self->synced_items + page->items->len + (guint) page->remaining;
  else if (page->continue_token == NULL)
    expected = self->synced_items + page->items->len;
  else
    expected = 0;
  set_progress (self, self->synced_items + page->items->len, expected);

  g_free (self->continue_token);
  self->continue_token = g_strdup (page->continue_token);
  if (self->continue_token == NULL)
    {
      sweep (self);
      set_last_rv (self, self->list_rv);
      self->synced_once = TRUE;
      self->list_from_last_rv = TRUE;
    }
}

static void
on_list_page (PhListCache *self,
              Result      *r)
{
  gboolean first = self->continue_token == NULL;

  if (r->page == NULL)
    {
      fail (self, r->error);
      return;
    }
  apply_list_page (self, r->page, first);
  if (self->continue_token != NULL)
    request_page (self);
  else
    {
      touch (self);
      set_state (self, PH_CACHE_STATE_LIVE, NULL);
      start_watch (self, FALSE);
    }
}

/* --- WATCH ---------------------------------------------------------- */

static void
on_ws_message (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  PhListCache *self = user_data;
  if (type == SOUP_WEBSOCKET_DATA_TEXT || type == SOUP_WEBSOCKET_DATA_BINARY)
    pipe_push_work (self, WORK_MESSAGE, message);
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  PhListCache *self = user_data;

  /* Let the worker drain the messages before it first. */
  pipe_push_work (self, WORK_STREAM_END, NULL);
}

static void on_read (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

/* Takes @call: the argument order of a direct call is unspecified, so
 * call->buf must not be read in the same call that steals @call. */
static void
read_next_block (PhListCache *self,
                 Call        *call)
{
  g_input_stream_read_async (self->stream, call->buf, READ_BLOCK_SIZE, G_PRIORITY_DEFAULT,
                             self->cancellable, on_read, call);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  PhListCache *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint backlog;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (!call_is_current (call))
    return;

  if (n < 0)
    {
      g_autoptr(GError) wrapped = g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_CONNECT,
                                               "Watch stream of %s broke: %s",
                                               self->context, error->message);
      fail (self, wrapped);
      return;
    }
  if (n == 0)
    {
      if (!handle_inline (self, WORK_STREAM_END, NULL))
        pipe_push_work (self, WORK_STREAM_END, NULL);
      return;
    }

  /* One buffer per connection and a copy of just what arrived: cheaper
   * than a fresh 64 KiB allocation for every read of a quiet stream. */
  bytes = g_bytes_new (call->buf, n);
  if (!handle_inline (self, WORK_STREAM_CHUNK, bytes))
    pipe_push_work (self, WORK_STREAM_CHUNK, bytes);
  /* The events may have ended this connection (an ERROR, a relist). */
  if (!call_is_current (call))
    return;
  /* A stream that arrives faster than it is applied (a big initial list
   * on a fast link) would keep the main loop reading and never painting,
   * and pile up in memory: past a few chunks of backlog, stop reading.
   * TCP slows the server down; the next dispatch resumes. */
  backlog = pipe_backlog (self->pipe);
  self->max_backlog = MAX (self->max_backlog, backlog);
  if (backlog >= READ_BACKLOG_MAX)
    {
      self->paused_read = g_steal_pointer (&call);
      return;
    }
  read_next_block (self, g_steal_pointer (&call));
}

static void
resume_reading (PhListCache *self)
{
  Call *call;

  if (self->paused_read == NULL || pipe_backlog (self->pipe) >= READ_BACKLOG_MAX / 2)
    return;

  call = g_steal_pointer (&self->paused_read);
  if (call_is_current (call))
    read_next_block (self, call);
  else
    call_free (call);
}

static void
watch_opened (PhListCache *self)
{
  if (!self->watch_list_active)
    set_state (self, PH_CACHE_STATE_LIVE, NULL);
}

/* After a 410: a watch relists from its last version; a list (or
 * streaming list) from that version relists from scratch; from scratch
 * it is a failure for the backoff.  Returns FALSE in that last case. */
static gboolean
relist_after_gone (PhListCache *self,
                   gboolean     was_listing)
{
  if (!was_listing)
    self->list_from_last_rv = TRUE;
  else if (self->list_from_last_rv)
    self->list_from_last_rv = FALSE;
  else
    return FALSE;
  teardown (self);
  begin_sync (self);
  return TRUE;
}

static void
on_stream_open (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  PhListCache *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status = 0;

  stream = ph_cluster_open_stream_finish (PH_CLUSTER (source), result, &status, &error);
  if (!call_is_current (call))
    {
      if (stream != NULL)
        g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  if (stream == NULL)
    {
      if (call->initial_events && (status == 400 || status == 422))
        {
          /* The server does not know streaming lists: page instead, and
           * remember it for every cache of this cluster. */
          g_debug ("%s: streaming list rejected (%u), using paged LIST", self->context, status);
          g_object_set_data (G_OBJECT (ph_query_get_cluster (self->query)),
                             "ph-no-streaming-list", GINT_TO_POINTER (1));
          self->streaming_list = FALSE;
          start_list (self);
          return;
        }
      if (g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_GONE) &&
          relist_after_gone (self, call->initial_events))
        return;
      fail (self, error);
      return;
    }

  self->stream = g_steal_pointer (&stream);
  watch_opened (self);
  call->buf = g_malloc (READ_BLOCK_SIZE);
  read_next_block (self, g_steal_pointer (&call));
}

static void
on_ws_open (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  PhListCache *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;

  ws = ph_cluster_websocket_connect_finish (PH_CLUSTER (source), result, &error);
  if (!call_is_current (call))
    {
      if (ws != NULL)
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }

  if (ws == NULL)
    {
      if (call->initial_events &&
          g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_FAILED))
        {
          g_object_set_data (G_OBJECT (ph_query_get_cluster (self->query)),
                             "ph-no-streaming-list", GINT_TO_POINTER (1));
          self->streaming_list = FALSE;
          start_list (self);
          return;
        }
      if (g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_GONE) &&
          relist_after_gone (self, call->initial_events))
        return;
      fail (self, error);
      return;
    }

  self->ws = g_steal_pointer (&ws);
  /* Kubernetes objects can be large; libsoup's default limit (128 KiB)
   * would close the socket on the first big one. */
  soup_websocket_connection_set_max_incoming_payload_size (self->ws, WS_MAX_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (self->ws, 0);
  g_signal_connect (self->ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (on_ws_closed), self);
  watch_opened (self);
}

static void
start_watch (PhListCache *self,
             gboolean     initial_events)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *base = ph_query_build_path (self->query);
  g_autofree char *selectors = ph_query_build_selector_params (self->query);
  PhCluster *cluster = ph_query_get_cluster (self->query);
  GCancellable *cancellable;
  gboolean use_ws;
  Call *call;
  guint timeout;

  timeout = self->opts.watch_timeout_max > self->opts.watch_timeout_min
    ? (guint) g_random_int_range (self->opts.watch_timeout_min, self->opts.watch_timeout_max)
    : self->opts.watch_timeout_min;

  g_string_printf (path, "%s?watch=1&allowWatchBookmarks=true&timeoutSeconds=%u%s",
                   base, timeout, selectors);
  if (initial_events)
    {
      g_string_append (path, "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");
      if (self->last_rv != NULL && self->list_from_last_rv)
        {
          g_autofree char *rv = g_uri_escape_string (self->last_rv, NULL, FALSE);
          g_string_append_printf (path, "&resourceVersion=%s", rv);
        }
    }
  else
    {
      g_autofree char *rv = NULL;

      /* Watching needs the version to start from; there is always one
       * after a list, and never the text "undefined". */
      g_assert (self->last_rv != NULL && *self->last_rv != '\0');
      rv = g_uri_escape_string (self->last_rv, NULL, FALSE);
      g_string_append_printf (path, "&resourceVersion=%s", rv);
    }

  self->phase = initial_events ? PHASE_LIST : PHASE_WATCH;
  cancellable = new_connection (self);
  self->watch_list_active = initial_events;
  if (initial_events)
    {
      self->generation++;
      set_progress (self, 0, 0);
    }
  self->n_watches++;
  self->watch_started = g_get_monotonic_time ();
  self->watch_events = 0;

  call = call_new (self);
  call->initial_events = initial_events;
  use_ws = self->opts.strategy == PH_WATCH_STRATEGY_WEBSOCKET ||
           (self->opts.max_streams > 0 &&
            count_cluster_streams (self, 0) + 1 >= self->opts.max_streams);
  if (use_ws)
    ph_cluster_websocket_connect_async (cluster, path->str, cancellable, on_ws_open, call);
  else
    {
      /* One stream stays free for lists and other requests. */
      count_cluster_streams (self, +1);
      self->stream_counted = TRUE;
      ph_cluster_open_stream_async (cluster, path->str, cancellable, on_stream_open, call);
    }
}

static void
begin_sync (PhListCache *self)
{
  PhCluster *cluster = ph_query_get_cluster (self->query);

  if (self->streaming_list && cluster != NULL &&
      g_object_get_data (G_OBJECT (cluster), "ph-no-streaming-list") == NULL)
    start_watch (self, TRUE);
  else
    start_list (self);
}

/* Returns FALSE when the events ended this connection (an ERROR). */
static gboolean
apply_events (PhListCache *self,
              GArray      *events)
{
  gboolean any = FALSE;
  gboolean ok = TRUE;

  for (guint i = 0; i < events->len && ok; i++)
    {
      Event *ev = &g_array_index (events, Event, i);

      switch (ev->type)
        {
        case EVENT_ADDED:
        case EVENT_MODIFIED:
          self->n_events++;
          set_last_rv (self, ph_object_fields_get (ev->fields, PH_SLOT_RESOURCE_VERSION));
          if (self->watch_list_active)
            self->synced_items++;
          upsert (self, g_steal_pointer (&ev->fields));
          any = TRUE;
          break;

        case EVENT_DELETED:
          self->n_events++;
          set_last_rv (self, ph_object_fields_get (ev->fields, PH_SLOT_RESOURCE_VERSION));
          remove_uid (self, ph_object_fields_get (ev->fields, PH_SLOT_UID));
          any = TRUE;
          break;

        case EVENT_BOOKMARK:
          set_last_rv (self, ev->rv);
          any = TRUE;
          if (self->watch_list_active && ev->initial_end)
            {
              self->watch_list_active = FALSE;
              self->phase = PHASE_WATCH;
              self->synced_once = TRUE;
              self->list_from_last_rv = TRUE;
              sweep (self);
              set_progress (self, self->synced_items, self->synced_items);
              set_state (self, PH_CACHE_STATE_LIVE, NULL);
            }
          break;

        case EVENT_ERROR:
          if (ev->code == 410 && relist_after_gone (self, self->watch_list_active))
            {
              /* Our version is older than the server's history: relist
               * (from the last version first) and reconcile. */
              g_debug ("%s: watch expired (410): relisting", self->context);
            }
          else
            {
              g_autoptr(GError) error =
                g_error_new (PH_KUBE_ERROR, ph_kube_error_from_http_status ((guint) ev->code),
                             "Watch of %s failed: %s (%" G_GINT64_FORMAT ")", self->context,
                             ev->message ? ev->message : "error event", ev->code);
              fail (self, error);
            }
          ok = FALSE;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (any)
    {
      self->watch_events++;
      touch (self);
      if (self->watch_list_active)
        set_progress (self, self->synced_items, 0);
    }
  return ok;
}

static void
on_watch_end (PhListCache *self)
{
  gint64 lived = g_get_monotonic_time () - self->watch_started;

  if (self->watch_list_active)
    {
      /* The stream ended before the initial events did: start over. */
      fail_literal (self, PH_KUBE_ERROR_CONNECT, "The streaming list ended early");
      return;
    }
  /* A watch that ends at once without any event is a failure in
   * disguise; back off instead of spinning. */
  if (self->watch_events == 0 && lived < G_USEC_PER_SEC)
    {
      fail_literal (self, PH_KUBE_ERROR_CONNECT, "The watch ended immediately");
      return;
    }
  g_debug ("%s: watch ended normally, re-watching from %s", self->context, self->last_rv);
  start_watch (self, FALSE);
}

static void
handle_result (PhListCache *self,
               Result      *r)
{
  if (!self->running || r->epoch != self->epoch)
    return;

  switch (r->kind)
    {
    case WORK_LIST_PAGE:
      on_list_page (self, r);
      break;

    case WORK_STREAM_CHUNK:
    case WORK_MESSAGE:
    case WORK_STREAM_END:
      if (r->events != NULL && !apply_events (self, r->events))
        return;
      if (r->error != NULL)
        {
          fail (self, r->error);
          return;
        }
      if (r->kind == WORK_STREAM_END)
        on_watch_end (self);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* ------------------------------------------------------------------ */

static void
ph_list_cache_dispose (GObject *object)
{
  PhListCache *self = (PhListCache *) object;

  self->running = FALSE;
  teardown (self);
  g_clear_handle_id (&self->backoff_source, g_source_remove);
  if (self->pipe != NULL)
    {
      g_weak_ref_set (&self->pipe->cache, NULL);
      g_thread_pool_free (self->pipe->pool, TRUE, FALSE);
      self->pipe->pool = NULL;
      g_clear_pointer (&self->pipe, pipe_unref);
    }

  G_OBJECT_CLASS (ph_list_cache_parent_class)->dispose (object);
}

static void
ph_list_cache_finalize (GObject *object)
{
  PhListCache *self = (PhListCache *) object;

  g_clear_pointer (&self->pending_adds, g_ptr_array_unref);
  g_clear_pointer (&self->pending_removes, g_ptr_array_unref);
  g_clear_pointer (&self->pending_updates, g_ptr_array_unref);
  g_clear_pointer (&self->by_uid, g_hash_table_unref);
  g_clear_pointer (&self->items, g_sequence_free);
  g_clear_pointer (&self->query, ph_query_unref);
  g_clear_error (&self->error);
  g_free (self->error_message);
  g_free (self->last_rv);
  g_free (self->list_rv);
  g_free (self->continue_token);

  G_OBJECT_CLASS (ph_list_cache_parent_class)->finalize (object);
}

static void
ph_list_cache_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PhListCache *self = PH_LIST_CACHE (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_boxed (value, self->query);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_LAST_EVENT_TIME:
      g_value_set_int64 (value, self->last_event_time);
      break;
    case PROP_RETRY_TIME:
      g_value_set_int64 (value, self->retry_time);
      break;
    case PROP_SYNCED_ITEMS:
      g_value_set_uint (value, self->synced_items);
      break;
    case PROP_EXPECTED_ITEMS:
      g_value_set_uint (value, self->expected_items);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, PH_TYPE_OBJECT);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_list_cache_class_init (PhListCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ph_list_cache_dispose;
  object_class->finalize = ph_list_cache_finalize;
  object_class->get_property = ph_list_cache_get_property;

  properties[PROP_QUERY] = g_param_spec_boxed ("query", NULL, NULL, PH_TYPE_QUERY, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PH_TYPE_CACHE_STATE, PH_CACHE_STATE_SYNCING, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_LAST_EVENT_TIME] =
    g_param_spec_int64 ("last-event-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_RETRY_TIME] =
    g_param_spec_int64 ("retry-time", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SYNCED_ITEMS] =
    g_param_spec_uint ("synced-items", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_EXPECTED_ITEMS] =
    g_param_spec_uint ("expected-items", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ITEM_TYPE] = g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Objects changed in place since the last items-changed (a GPtrArray of
   * PhObject): what a sorted or filtered view of the list re-checks. */
  signals[SIGNAL_OBJECTS_UPDATED] =
    g_signal_new ("objects-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
ph_list_cache_init (PhListCache *self)
{
  self->items = g_sequence_new (g_object_unref);
  self->by_uid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->pending_adds = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_removes = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_updates = g_ptr_array_new_with_free_func (g_object_unref);
  self->state = PH_CACHE_STATE_SYNCING;
}

PhListCache *
ph_list_cache_new (PhQuery                  *query,
                   const PhListCacheOptions *options)
{
  PhListCache *self;
  PhCluster *cluster;
  const char *group;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (PH_TYPE_LIST_CACHE, NULL);
  self->query = ph_query_ref (query);
  self->opts = *options;
  if (self->opts.page_size == 0)
    self->opts.page_size = 500;
  if (self->opts.watch_timeout_min == 0)
    {
      self->opts.watch_timeout_min = 300;
      self->opts.watch_timeout_max = 600;
    }
  self->streaming_list = self->opts.streaming_list;

  cluster = ph_query_get_cluster (query);
  self->context = g_intern_string (cluster ? ph_cluster_get_context_name (cluster) : "");

  self->pipe = g_new0 (Pipe, 1);
  g_atomic_ref_count_init (&self->pipe->ref_count);
  g_mutex_init (&self->pipe->mutex);
  g_queue_init (&self->pipe->results);
  g_weak_ref_init (&self->pipe->cache, self);
  self->pipe->context = g_main_context_ref_thread_default ();
  self->pipe->partial = g_byte_array_new ();
  /* The kind-specific columns only apply to the built-in groups; other
   * groups' objects fall back to the kind their JSON names. */
  group = ph_query_get_group (query);
  if (*group == '\0' || strcmp (group, "apps") == 0 || strcmp (group, "batch") == 0)
    self->pipe->kind = ph_kind_id_from_resource (ph_query_get_resource (query));
  self->pipe->pool = g_thread_pool_new_full (worker_func, NULL, (GDestroyNotify) work_free,
                                             1, FALSE, NULL);

  return self;
}

void
ph_list_cache_start (PhListCache *self)
{
  g_return_if_fail (PH_IS_LIST_CACHE (self));
  g_return_if_fail (ph_query_get_cluster (self->query) != NULL);

  if (self->running)
    return;
  self->running = TRUE;
  begin_sync (self);
}

void
ph_list_cache_stop (PhListCache *self)
{
  g_return_if_fail (PH_IS_LIST_CACHE (self));

  self->running = FALSE;
  teardown (self);
  g_clear_handle_id (&self->backoff_source, g_source_remove);
  set_retry_time (self, 0);
}

gboolean
ph_list_cache_get_upstream_open (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), FALSE);
  return self->upstream_open || self->stream != NULL || self->ws != NULL;
}

guint
ph_list_cache_get_n_lists (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->n_lists;
}

guint
ph_list_cache_get_max_backlog (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->max_backlog;
}

guint64
ph_list_cache_get_n_events (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->n_events;
}

guint
ph_list_cache_get_n_watches (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->n_watches;
}

void
ph_list_cache_retry (PhListCache *self)
{
  g_return_if_fail (PH_IS_LIST_CACHE (self));

  if (!self->running)
    return;
  if (self->backoff_source == 0 && self->state != PH_CACHE_STATE_ERROR)
    return; /* connected or connecting already */

  g_clear_handle_id (&self->backoff_source, g_source_remove);
  set_retry_time (self, 0);
  if (self->state == PH_CACHE_STATE_ERROR || self->state == PH_CACHE_STATE_STALE ||
      self->phase == PHASE_LIST)
    {
      self->list_from_last_rv = self->synced_once;
      begin_sync (self);
    }
  else
    start_watch (self, FALSE);
}

void
ph_list_cache_relist (PhListCache *self)
{
  g_return_if_fail (PH_IS_LIST_CACHE (self));

  if (!self->running)
    return;

  /* A fresh consistent list (no resourceVersion), reconciled into what
   * the cache holds: objects keep their identity, changed ones update in
   * place, vanished ones go.  Then a watch from the list's version. */
  g_clear_handle_id (&self->backoff_source, g_source_remove);
  set_retry_time (self, 0);
  self->list_from_last_rv = FALSE;
  teardown (self);
  set_progress (self, 0, 0);
  set_state (self, PH_CACHE_STATE_SYNCING, NULL);
  begin_sync (self);
}

PhQuery *
ph_list_cache_get_query (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), NULL);
  return self->query;
}

PhCacheState
ph_list_cache_get_state (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), PH_CACHE_STATE_ERROR);
  return self->state;
}

const char *
ph_list_cache_get_error_message (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), NULL);
  return self->error_message;
}

/* The last failure with its PH_KUBE_ERROR code (FORBIDDEN, NOT_FOUND,
 * UNAUTHORIZED...), or NULL while healthy. */
const GError *
ph_list_cache_get_error (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), NULL);

  return self->error;
}

gint64
ph_list_cache_get_last_event_time (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->last_event_time;
}

gint64
ph_list_cache_get_retry_time (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->retry_time;
}

guint
ph_list_cache_get_synced_items (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->synced_items;
}

guint
ph_list_cache_get_expected_items (PhListCache *self)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), 0);
  return self->expected_items;
}

PhObject *
ph_list_cache_lookup (PhListCache *self,
                      const char  *uid)
{
  g_return_val_if_fail (PH_IS_LIST_CACHE (self), NULL);
  g_return_val_if_fail (uid != NULL, NULL);
  return g_hash_table_lookup (self->by_uid, uid);
}

gboolean
ph_list_cache_feed_list_page (PhListCache  *self,
                              const char   *json,
                              gsize         len,
                              gboolean      first_page,
                              GError      **error)
{
  g_autoptr(ListPage) page = NULL;

  g_return_val_if_fail (PH_IS_LIST_CACHE (self), FALSE);

  page = parse_list_page (json, len, self->pipe->kind, error);
  if (page == NULL)
    return FALSE;
  if (first_page)
    {
      self->generation++;
      g_clear_pointer (&self->continue_token, g_free);
      set_progress (self, 0, 0);
    }
  apply_list_page (self, page, first_page);
  if (self->continue_token == NULL)
    set_state (self, PH_CACHE_STATE_LIVE, NULL);
  flush (self);
  return TRUE;
}

gboolean
ph_list_cache_feed_watch_data (PhListCache  *self,
                               const char   *data,
                               gsize         len,
                               GError      **error)
{
  g_autoptr(GByteArray) partial = g_byte_array_new ();
  g_autoptr(GArray) events = NULL;
  static const char nl = '\n';

  g_return_val_if_fail (PH_IS_LIST_CACHE (self), FALSE);

  events = parse_stream_chunk (partial, data, len, self->pipe->kind, error);
  if (events != NULL && partial->len > 0)
    {
      g_autoptr(GArray) tail = parse_stream_chunk (partial, &nl, 1, self->pipe->kind, error);

      if (tail == NULL)
        g_clear_pointer (&events, g_array_unref);
      else
        for (guint i = 0; i < tail->len; i++)
          {
            g_array_append_val (events, g_array_index (tail, Event, i));
            memset (&g_array_index (tail, Event, i), 0, sizeof (Event));
          }
    }
  if (events == NULL)
    return FALSE;

  /* No connection to end here: an ERROR event just reports failure. */
  for (guint i = 0; i < events->len; i++)
    {
      Event *ev = &g_array_index (events, Event, i);

      if (ev->type == EVENT_ERROR)
        {
          g_set_error (error, PH_KUBE_ERROR, ph_kube_error_from_http_status ((guint) ev->code),
                       "ERROR event: %s (%" G_GINT64_FORMAT ")",
                       ev->message ? ev->message : "", ev->code);
          g_array_set_size (events, i);
          apply_events (self, events);
          flush (self);
          return FALSE;
        }
    }
  apply_events (self, events);
  flush (self);
  return TRUE;
}
