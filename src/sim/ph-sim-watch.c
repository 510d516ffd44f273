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
};

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
  g_string_append (line, "{\"type\":\"");
  g_string_append (line, type);
  g_string_append (line, "\",\"object\":");
  g_string_append_len (line, object, length);
  g_string_append_c (line, '}');
  watcher->events_sent++;

  if (watcher->ws != NULL)
    {
      /* One event per text frame, as kube-apiserver sends them. */
      soup_websocket_connection_send_text (watcher->ws, line->str);
      g_string_free (line, TRUE);
    }
  else
    {
      g_autoptr(GBytes) bytes = NULL;

      g_string_append_c (line, '\n');
      bytes = g_string_free_to_bytes (line);
      soup_message_body_append_bytes (soup_server_message_get_response_body (watcher->msg), bytes);
      soup_server_message_unpause (watcher->msg);
    }
}

static void
watcher_send_obj (PhSimWatcher *watcher,
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
      watcher_send (watcher, type, table->str, table->len);
      return;
    }

  json = ph_sim_obj_get_json (obj, &length);
  watcher_send (watcher, type, json, length);
}

static void
watcher_send_bookmark (PhSimWatcher *watcher,
                       gboolean      initial_events_end)
{
  const PhSimResource *r = &ph_sim_resources[watcher->res];
  g_autofree char *object = NULL;

  object = g_strdup_printf ("{\"kind\":\"%s\",\"apiVersion\":\"%s%s%s\",\"metadata\":"
                            "{\"resourceVersion\":\"%" G_GUINT64_FORMAT "\",\"creationTimestamp\":null%s}}",
                            r->kind, r->group, r->group[0] ? "/" : "", r->version,
                            ph_sim_store_get_rv (watcher->server->store),
                            initial_events_end ? ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}" : "");
  watcher_send (watcher, "BOOKMARK", object, strlen (object));
}

/* Ends the watch cleanly, as when timeoutSeconds is reached. */
static void
watcher_end (PhSimWatcher *watcher)
{
  if (watcher->done)
    return;
  watcher->done = TRUE;
  watcher_clear_timeout (watcher);

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
  if (watcher->bookmarks)
    watcher_send_bookmark (watcher, FALSE);
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
watcher_deliver (const PhSimEvent *event,
                 gpointer          user_data)
{
  PhSimWatcher *watcher = user_data;
  gboolean now_matches, matched;

  if (!watcher_wants (watcher, event->obj))
    return;

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

static void
send_current_state (PhSimWatcher *watcher)
{
  PhSimServer *self = watcher->server;
  g_autoptr(GPtrArray) items = ph_sim_store_list (self->store, watcher->res, watcher->namespace_);

  for (guint i = 0; i < items->len; i++)
    {
      PhSimObj *obj = g_ptr_array_index (items, i);

      if (watcher_matches (watcher, obj))
        watcher_send_obj (watcher, "ADDED", obj);
    }
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
      send_current_state (watcher);
      watcher_send_bookmark (watcher, TRUE);
    }
  else if (rv == 0)
    {
      /* "" and "0": the current state as ADDED events, then changes. */
      send_current_state (watcher);
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

void
ph_sim_watch_bookmark_all (PhSimServer *self)
{
  for (guint i = 0; i < self->watchers->len; i++)
    {
      PhSimWatcher *watcher = g_ptr_array_index (self->watchers, i);

      if (watcher->bookmarks)
        watcher_send_bookmark (watcher, FALSE);
    }
}
