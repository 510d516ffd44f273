/* ph-sim-watch.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-sim-server-private.h"

struct _PhSimWatcher {
  PhSimServer             *server;
  SoupServerMessage       *msg;        /* chunked HTTP, or NULL */
  SoupWebsocketConnection *ws;         /* WebSocket, or NULL */
  PhSimResId               res;
  char                    *namespace_;
  PhSimSelector           *labels;
  PhSimSelector           *fields;
  gboolean                 bookmarks;
  const char              *table;      /* Table version, or NULL for objects */
  gboolean                 done;       /* ended; waiting for the transport */
  gboolean                 forgotten;  /* the transport is gone */
  GSource                 *timeout_source;
  guint64                  events_sent;

  /* The initial state while it is being sent: the objects of the snapshot
   * taken when the watch started (selectors are applied as they go out,
   * which is safe because committed objects never change), from
   * @initial_next on.  NULL once it has all gone out. */
  GPtrArray               *initial;
  guint                    initial_next;
  guint64                  initial_rv;       /* what the snapshot reflects */
  gboolean                 initial_bookmark; /* end it with initial-events-end */
  /* Live events (PhSimEvent *) that came while the initial state was
   * going out: they follow it, in order. */
  GQueue                   pending;
  GSource                 *pump_source;
  gsize                    unwritten;        /* chunked: appended, not written yet */
};

/* The initial state goes out in slices of about this size, so the first
 * events leave at once and memory stays flat however big the state is. */
#define INITIAL_SLICE_BYTES (256 * 1024)
/* A chunked response gets its next slice only while less than this is
 * waiting to be written. */
#define INITIAL_QUEUE_BYTES (1024 * 1024)

static PhSimEvent *
event_copy (const PhSimEvent *event)
{
  PhSimEvent *copy = g_new (PhSimEvent, 1);

  copy->type = event->type;
  copy->rv = event->rv;
  copy->obj = ph_sim_obj_ref (event->obj);
  copy->old = event->old ? ph_sim_obj_ref (event->old) : NULL;
  return copy;
}

static void
event_free (gpointer data)
{
  PhSimEvent *event = data;

  g_clear_pointer (&event->obj, ph_sim_obj_unref);
  g_clear_pointer (&event->old, ph_sim_obj_unref);
  g_free (event);
}

/* The sources live in the server's context, not the default one, so
 * g_source_remove() cannot be used on them. */
static void
watcher_clear_timeout (PhSimWatcher *watcher)
{
  if (watcher->timeout_source != NULL)
    {
      g_source_destroy (watcher->timeout_source);
      g_clear_pointer (&watcher->timeout_source, g_source_unref);
    }
}

static void
watcher_clear_pump (PhSimWatcher *watcher)
{
  if (watcher->pump_source != NULL)
    {
      g_source_destroy (watcher->pump_source);
      g_clear_pointer (&watcher->pump_source, g_source_unref);
    }
}

/* Stops sending the initial state and forgets what was waiting behind it. */
static void
watcher_clear_initial (PhSimWatcher *watcher)
{
  watcher_clear_pump (watcher);
  g_clear_pointer (&watcher->initial, g_ptr_array_unref);
  g_queue_clear_full (&watcher->pending, event_free);
}

void
ph_sim_watcher_free (PhSimWatcher *watcher)
{
  if (watcher->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (watcher->msg, watcher);
      g_clear_object (&watcher->msg);
    }
  if (watcher->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (watcher->ws, watcher);
      g_clear_object (&watcher->ws);
    }
  watcher_clear_timeout (watcher);
  watcher_clear_initial (watcher);
  ph_sim_selector_free (watcher->labels);
  ph_sim_selector_free (watcher->fields);
  g_free (watcher->namespace_);
  g_free (watcher);
}

static gboolean
watcher_free_idle (gpointer data)
{
  ph_sim_watcher_free (data);
  return G_SOURCE_REMOVE;
}

/* The transport is gone (both "disconnected" and "finished" may say so).
 * The watcher is freed later: we are inside a signal of its transport. */
static void
watcher_forget (PhSimWatcher *watcher)
{
  GSource *source;

  if (watcher->forgotten)
    return;
  watcher->forgotten = TRUE;
  watcher->done = TRUE;
  watcher_clear_initial (watcher);
  g_ptr_array_remove_fast (watcher->server->watchers, watcher);

  source = g_idle_source_new ();
  g_source_set_callback (source, watcher_free_idle, watcher, NULL);
  g_source_attach (source, watcher->server->context);
  g_source_unref (source);
}

static void
on_message_gone (SoupServerMessage *msg,
                 PhSimWatcher      *watcher)
{
  watcher_forget (watcher);
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              PhSimWatcher            *watcher)
{
  watcher_forget (watcher);
}

static void
on_ws_error (SoupWebsocketConnection *ws,
             GError                  *error,
             PhSimWatcher            *watcher)
{
  g_debug ("Watch WebSocket failed: %s", error->message);
}

static gboolean
watcher_is_open (PhSimWatcher *watcher)
{
  if (watcher->done)
    return FALSE;
  if (watcher->ws != NULL)
    return soup_websocket_connection_get_state (watcher->ws) == SOUP_WEBSOCKET_STATE_OPEN;
  return TRUE;
}

/* Appends {"type":…,"object":…} for one event; @object is JSON text of
 * @length bytes. */
static void
append_event (GString    *out,
              const char *type,
              const char *object,
              gsize       length)
{
  g_string_append (out, "{\"type\":\"");
  g_string_append (out, type);
  g_string_append (out, "\",\"object\":");
  g_string_append_len (out, object, length);
  g_string_append_c (out, '}');
}

static void
append_obj_event (PhSimWatcher *watcher,
                  GString      *out,
                  const char   *type,
                  PhSimObj     *obj)
{
  gsize length;
  const char *json;

  if (watcher->table != NULL)
    {
      /* kubectl get -w: every event carries a one-row Table. */
      g_autoptr(GString) table = g_string_new (NULL);

      g_string_append_printf (table, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/%s\","
                              "\"metadata\":{\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"},"
                              "\"columnDefinitions\":%s,\"rows\":[",
                              watcher->table, obj->rv, ph_sim_resources[watcher->res].columns);
      ph_sim_append_table_row (table, obj, g_get_real_time () / G_USEC_PER_SEC);
      g_string_append (table, "]}");
      append_event (out, type, table->str, table->len);
      return;
    }

  json = ph_sim_obj_get_json (obj, &length);
  append_event (out, type, json, length);
}

/* Hands newline-terminated events to the chunked response, as one chunk. */
static void
watcher_write_chunk (PhSimWatcher *watcher,
                     GString      *lines)
{
  g_autoptr(GBytes) bytes = NULL;

  watcher->unwritten += lines->len;
  bytes = g_string_free_to_bytes (lines);
  soup_message_body_append_bytes (soup_server_message_get_response_body (watcher->msg), bytes);
  soup_server_message_unpause (watcher->msg);
}

/* Sends the one event in @line (without a newline); takes it. */
static void
watcher_emit (PhSimWatcher *watcher,
              GString      *line)
{
  watcher->events_sent++;

  if (watcher->ws != NULL)
    {
      /* One event per text frame, as kube-apiserver sends them. */
      soup_websocket_connection_send_text (watcher->ws, line->str);
      g_string_free (line, TRUE);
    }
  else
    {
      g_string_append_c (line, '\n');
      watcher_write_chunk (watcher, line);
    }
}

/* Sends one event; @object is JSON text of @length bytes. */
static void
watcher_send (PhSimWatcher *watcher,
              const char   *type,
              const char   *object,
              gsize         length)
{
  GString *line;

  if (!watcher_is_open (watcher))
    return;

  line = g_string_sized_new (length + 40);
  append_event (line, type, object, length);
  watcher_emit (watcher, line);
}

static void
watcher_send_obj (PhSimWatcher *watcher,
                  const char   *type,
                  PhSimObj     *obj)
{
  GString *line;

  if (!watcher_is_open (watcher))
    return;

  line = g_string_sized_new (g_bytes_get_size (obj->json) + 40);
  append_obj_event (watcher, line, type, obj);
  watcher_emit (watcher, line);
}

static void
watcher_send_bookmark (PhSimWatcher *watcher,
                       guint64       rv,
                       gboolean      initial_events_end)
{
  const PhSimResource *r = &ph_sim_resources[watcher->res];
  g_autofree char *object = NULL;

  object = g_strdup_printf ("{\"kind\":\"%s\",\"apiVersion\":\"%s%s%s\",\"metadata\":"
                            "{\"resourceVersion\":\"%" G_GUINT64_FORMAT "\",\"creationTimestamp\":null%s}}",
                            r->kind, r->group, r->group[0] ? "/" : "", r->version, rv,
                            initial_events_end ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" : "");
  watcher_send (watcher, "BOOKMARK", object, strlen (object));
}

/* A progress bookmark at the store's version: only true once everything
 * up to it has been sent, so none while the initial state is going out
 * (kube-apiserver sends none before the initial events end either). */
static void
watcher_send_progress (PhSimWatcher *watcher)
{
  if (watcher->bookmarks && watcher->initial == NULL)
    watcher_send_bookmark (watcher, ph_sim_store_get_rv (watcher->server->store), FALSE);
}

/* Ends the watch cleanly, as when timeoutSeconds is reached. */
static void
watcher_end (PhSimWatcher *watcher)
{
  if (watcher->done)
    return;
  watcher->done = TRUE;
  watcher_clear_timeout (watcher);
  watcher_clear_initial (watcher);

  if (watcher->ws != NULL)
    {
      if (soup_websocket_connection_get_state (watcher->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (watcher->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  else
    {
      soup_message_body_complete (soup_server_message_get_response_body (watcher->msg));
      soup_server_message_unpause (watcher->msg);
    }
}

static gboolean
on_timeout (gpointer data)
{
  PhSimWatcher *watcher = data;

  g_clear_pointer (&watcher->timeout_source, g_source_unref);
  watcher_send_progress (watcher);
  watcher_end (watcher);

  return G_SOURCE_REMOVE;
}

static gboolean
watcher_wants (PhSimWatcher *watcher,
               PhSimObj     *obj)
{
  if (obj->res != watcher->res)
    return FALSE;
  if (watcher->namespace_ != NULL && g_strcmp0 (obj->namespace_, watcher->namespace_) != 0)
    return FALSE;
  return TRUE;
}

static gboolean
watcher_matches (PhSimWatcher *watcher,
                 PhSimObj     *obj)
{
  return ph_sim_selector_matches (watcher->labels, obj) &&
         ph_sim_selector_matches (watcher->fields, obj);
}

static void
watcher_deliver_now (PhSimWatcher     *watcher,
                     const PhSimEvent *event)
{
  gboolean now_matches, matched;

  now_matches = watcher_matches (watcher, event->obj);

  switch (event->type)
    {
    case PH_SIM_EVENT_ADDED:
      if (now_matches)
        watcher_send_obj (watcher, "ADDED", event->obj);
      break;

    case PH_SIM_EVENT_MODIFIED:
      /* An object moving in or out of a selector is added or deleted for
       * that watch, as the apiserver's watch cache does. */
      matched = event->old != NULL && watcher_matches (watcher, event->old);
      if (now_matches && matched)
        watcher_send_obj (watcher, "MODIFIED", event->obj);
      else if (now_matches)
        watcher_send_obj (watcher, "ADDED", event->obj);
      else if (matched)
        watcher_send_obj (watcher, "DELETED", event->obj);
      break;

    case PH_SIM_EVENT_DELETED:
      matched = event->old != NULL ? watcher_matches (watcher, event->old) : now_matches;
      if (matched)
        watcher_send_obj (watcher, "DELETED", event->obj);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
watcher_deliver (const PhSimEvent *event,
                 gpointer          user_data)
{
  PhSimWatcher *watcher = user_data;

  if (!watcher_wants (watcher, event->obj))
    return;

  if (watcher->initial != NULL)
    {
      /* Newer than the snapshot being sent: it goes out after it. */
      if (!watcher->done)
        g_queue_push_tail (&watcher->pending, event_copy (event));
      return;
    }

  watcher_deliver_now (watcher, event);
}

void
ph_sim_watch_dispatch (const PhSimEvent *event,
                       gpointer          user_data)
{
  PhSimServer *self = user_data;

  for (guint i = 0; i < self->watchers->len; i++)
    watcher_deliver (event, g_ptr_array_index (self->watchers, i));
}

static gboolean
parse_rv (const char *text,
          guint64    *out)
{
  char *end = NULL;

  *out = 0;
  if (text == NULL || *text == '\0')
    return TRUE;
  if (!g_ascii_isdigit (*text))
    return FALSE;
  *out = g_ascii_strtoull (text, &end, 10);
  return *end == '\0';
}

static gboolean
query_true (GHashTable *query,
            const char *name)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL && (strcmp (value, "1") == 0 || strcmp (value, "true") == 0);
}

gboolean
ph_sim_watch_check (PhSimServer       *self,
                    SoupServerMessage *msg,
                    GHashTable        *query)
{
  const char *rv_text = query ? g_hash_table_lookup (query, "resourceVersion") : NULL;
  const char *rv_match = query ? g_hash_table_lookup (query, "resourceVersionMatch") : NULL;
  const char *timeout = query ? g_hash_table_lookup (query, "timeoutSeconds") : NULL;
  guint64 rv;

  if (!parse_rv (rv_text, &rv))
    {
      g_autofree char *message = g_strdup_printf ("resourceVersion: Invalid value: \"%s\": must be a number", rv_text);
      ph_sim_send_status (msg, 400, "BadRequest", message);
      return FALSE;
    }

  if (timeout != NULL && *timeout != '\0' && !g_ascii_isdigit (*timeout))
    {
      ph_sim_send_status (msg, 400, "BadRequest", "timeoutSeconds must be a non-negative integer");
      return FALSE;
    }

  if (query_true (query, "sendInitialEvents"))
    {
      if (g_strcmp0 (rv_match, "NotOlderThan") != 0)
        {
          ph_sim_send_status (msg, 422, "Invalid",
                              "resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
                              "resourceVersionMatch to NotOlderThan");
          return FALSE;
        }
      if (!query_true (query, "allowWatchBookmarks"))
        {
          ph_sim_send_status (msg, 422, "Invalid",
                              "allowWatchBookmarks: Forbidden: sendInitialEvents requires setting "
                              "allowWatchBookmarks to true");
          return FALSE;
        }
    }
  else if (rv_match != NULL && *rv_match != '\0')
    {
      ph_sim_send_status (msg, 422, "Invalid",
                          "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for "
                          "watch unless sendInitialEvents is provided");
      return FALSE;
    }

  return TRUE;
}

/* Sends the next slice of the initial state and, after the last one,
 * the initial-events-end bookmark and the events that waited behind it. */
static void
watcher_pump_slice (PhSimWatcher *watcher)
{
  PhSimServer *self = watcher->server;
  g_autoptr(GString) out = NULL;
  gsize sliced = 0;

  if (!watcher_is_open (watcher))
    {
      watcher_clear_initial (watcher);
      return;
    }

  out = g_string_sized_new (INITIAL_SLICE_BYTES + 16384);
  while (watcher_is_open (watcher) && watcher->initial != NULL &&
         watcher->initial_next < watcher->initial->len && sliced < INITIAL_SLICE_BYTES)
    {
      PhSimObj *obj = g_ptr_array_index (watcher->initial, watcher->initial_next++);
      gsize before = out->len;

      if (!watcher_matches (watcher, obj))
        continue;

      append_obj_event (watcher, out, "ADDED", obj);
      watcher->events_sent++;
      self->initial_events_sent++;
      sliced += out->len - before + 1;

      if (watcher->ws != NULL)
        {
          soup_websocket_connection_send_text (watcher->ws, out->str);
          g_string_truncate (out, 0);
        }
      else
        g_string_append_c (out, '\n');
    }

  if (watcher->ws == NULL && out->len > 0 && watcher_is_open (watcher))
    watcher_write_chunk (watcher, g_steal_pointer (&out));

  if (watcher->initial == NULL || watcher->initial_next < watcher->initial->len)
    return;

  g_clear_pointer (&watcher->initial, g_ptr_array_unref);
  if (watcher->initial_bookmark)
    watcher_send_bookmark (watcher, watcher->initial_rv, TRUE);

  /* All in one go: nothing can be committed meanwhile, as commits run on
   * this thread too. */
  while (!g_queue_is_empty (&watcher->pending))
    {
      PhSimEvent *event = g_queue_pop_head (&watcher->pending);

      watcher_deliver_now (watcher, event);
      event_free (event);
    }
}

static void watcher_schedule_pump (PhSimWatcher *watcher);

static gboolean
on_pump (gpointer data)
{
  PhSimWatcher *watcher = data;

  watcher_clear_pump (watcher);
  watcher_pump_slice (watcher);
  watcher_schedule_pump (watcher);

  return G_SOURCE_REMOVE;
}

static gboolean
on_pump_writable (GObject  *stream,
                  gpointer  data)
{
  return on_pump (data);
}

/* Arranges for the next slice when the transport can take it: a chunked
 * response once libsoup has written most of what it has (see
 * on_wrote_body_data()), a WebSocket once its socket is writable.  A
 * WebSocket keeps its own queue of frames and flushes it from a source
 * of default priority, which runs before this low-priority one, so the
 * frames waiting in it stay few too. */
static void
watcher_schedule_pump (PhSimWatcher *watcher)
{
  GSource *source;

  if (watcher->pump_source != NULL || watcher->initial == NULL || !watcher_is_open (watcher))
    return;

  if (watcher->ws != NULL)
    {
      GOutputStream *stream = g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (watcher->ws));

      if (G_IS_POLLABLE_OUTPUT_STREAM (stream) &&
          g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (stream)) &&
          !g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (stream)))
        {
          source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (stream), NULL);
          g_source_set_callback (source, G_SOURCE_FUNC (on_pump_writable), watcher, NULL);
        }
      else
        {
          source = g_idle_source_new ();
          g_source_set_callback (source, on_pump, watcher, NULL);
        }
      g_source_set_priority (source, G_PRIORITY_LOW);
    }
  else
    {
      if (watcher->unwritten >= INITIAL_QUEUE_BYTES)
        return;
      source = g_idle_source_new ();
      g_source_set_callback (source, on_pump, watcher, NULL);
    }

  g_source_set_name (source, "[porthole] watch initial state");
  g_source_attach (source, watcher->server->context);
  watcher->pump_source = source;
}

static void
on_wrote_body_data (SoupServerMessage *msg,
                    guint              size,
                    PhSimWatcher      *watcher)
{
  watcher->unwritten -= MIN (size, watcher->unwritten);
  if (watcher->unwritten < INITIAL_QUEUE_BYTES)
    watcher_schedule_pump (watcher);
}

/* Takes the snapshot the initial state is sent from and starts sending
 * it; live events from now on wait behind it. */
static void
watcher_start_initial (PhSimWatcher *watcher,
                       gboolean      bookmark)
{
  PhSimServer *self = watcher->server;

  watcher->initial = ph_sim_store_list (self->store, watcher->res, watcher->namespace_);
  watcher->initial_rv = ph_sim_store_get_rv (self->store);
  watcher->initial_bookmark = bookmark;

  /* The first slice right away, so it leaves with the headers. */
  watcher_pump_slice (watcher);
  watcher_schedule_pump (watcher);
}

void
ph_sim_watch_start (PhSimServer             *self,
                    SoupServerMessage       *msg,
                    SoupWebsocketConnection *ws,
                    PhSimResId               res,
                    const char              *namespace_,
                    GHashTable              *query,
                    const char              *accept,
                    PhSimSelector           *labels,
                    PhSimSelector           *fields)
{
  const char *rv_text = query ? g_hash_table_lookup (query, "resourceVersion") : NULL;
  const char *timeout_text = query ? g_hash_table_lookup (query, "timeoutSeconds") : NULL;
  PhSimWatcher *watcher = g_new0 (PhSimWatcher, 1);
  guint64 timeout = PH_SIM_DEFAULT_WATCH_TIMEOUT;
  guint64 rv = 0;

  watcher->server = self;
  watcher->res = res;
  watcher->namespace_ = g_strdup (namespace_);
  watcher->labels = labels;
  watcher->fields = fields;
  watcher->bookmarks = query_true (query, "allowWatchBookmarks");
  watcher->table = ph_sim_accepts_table (accept);
  g_ptr_array_add (self->watchers, watcher);

  if (ws != NULL)
    {
      watcher->ws = g_object_ref (ws);
      g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), watcher);
      g_signal_connect (ws, "error", G_CALLBACK (on_ws_error), watcher);
    }
  else
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      watcher->msg = g_object_ref (msg);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      g_signal_connect (msg, "finished", G_CALLBACK (on_message_gone), watcher);
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_message_gone), watcher);
      g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), watcher);
      /* Written chunks are dropped rather than kept for the whole life
       * of the watch. */
      soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
    }

  if (timeout_text != NULL && *timeout_text != '\0')
    timeout = g_ascii_strtoull (timeout_text, NULL, 10);
  if (timeout > 0)
    {
      watcher->timeout_source = g_timeout_source_new_seconds (timeout);
      g_source_set_callback (watcher->timeout_source, on_timeout, watcher, NULL);
      g_source_attach (watcher->timeout_source, self->context);
    }

  parse_rv (rv_text, &rv);

  if (query_true (query, "sendInitialEvents"))
    {
      watcher_start_initial (watcher, TRUE);
    }
  else if (rv == 0)
    {
      /* "" and "0": the current state as ADDED events, then changes. */
      watcher_start_initial (watcher, FALSE);
    }
  else if (!ph_sim_store_replay (self->store, rv, watcher_deliver, watcher))
    {
      g_autofree char *message = g_strdup_printf ("too old resource version: %" G_GUINT64_FORMAT
                                                  " (%" G_GUINT64_FORMAT ")",
                                                  rv, ph_sim_store_get_compacted_rv (self->store) + 1);
      g_autofree char *status = ph_sim_status_json (410, "Expired", message, NULL);

      watcher_send (watcher, "ERROR", status, strlen (status));
      watcher_end (watcher);
    }
}

void
ph_sim_watch_drop_all (PhSimServer *self)
{
  g_autoptr(GPtrArray) watchers = g_ptr_array_copy (self->watchers, NULL, NULL);

  for (guint i = 0; i < watchers->len; i++)
    watcher_end (g_ptr_array_index (watchers, i));
}

void
ph_sim_watch_cut_all (PhSimServer *self)
{
  g_autoptr(GPtrArray) watchers = g_ptr_array_copy (self->watchers, NULL, NULL);

  for (guint i = 0; i < watchers->len; i++)
    {
      PhSimWatcher *watcher = g_ptr_array_index (watchers, i);

      if (watcher->done)
        continue;

      if (watcher->ws != NULL)
        {
          /* The connection notices and reports "closed". */
          g_io_stream_close (soup_websocket_connection_get_io_stream (watcher->ws), NULL, NULL);
        }
      else
        {
          /* Shut the socket first so nothing more reaches the client, then
           * let libsoup finish the message against the dead socket. */
          g_socket_shutdown (soup_server_message_get_socket (watcher->msg), TRUE, TRUE, NULL);
          watcher_end (watcher);
        }
    }
}

guint
ph_sim_watch_count_streaming (PhSimServer *self)
{
  guint n = 0;

  for (guint i = 0; i < self->watchers->len; i++)
    if (((PhSimWatcher *) g_ptr_array_index (self->watchers, i))->initial != NULL)
      n++;

  return n;
}

void
ph_sim_watch_bookmark_all (PhSimServer *self)
{
  for (guint i = 0; i < self->watchers->len; i++)
    {
      PhSimWatcher *watcher = g_ptr_array_index (self->watchers, i);

      watcher_send_progress (watcher);
    }
}
