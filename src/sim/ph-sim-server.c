/* ph-sim-server.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ph-sim-certs.h"
#include "ph-sim-server-private.h"

#define CERTS_PATH "/io/github/porthole/Porthole/sim/certs/"
#define CHURN_TICK_MS 100
#define MAX_STEPS_PER_TICK 2000

G_DEFINE_FINAL_TYPE (PhSimServer, ph_sim_server, G_TYPE_OBJECT)


void
ph_sim_options_init (PhSimOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->pods = 100;
  options->namespaces = 4;
  options->seed = 1;
}

static char *
load_cert_resource (const char *name)
{
  g_autofree char *path = g_strconcat (CERTS_PATH, name, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (ph_sim_certs_get_resource (), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (bytes != NULL);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
ph_sim_server_finalize (GObject *object)
{
  PhSimServer *self = PH_SIM_SERVER (object);

  ph_sim_server_stop (self);

  g_free (self->token);
  g_clear_object (&self->server_cert);
  g_clear_object (&self->ca_cert);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (ph_sim_server_parent_class)->finalize (object);
}

static void
ph_sim_server_class_init (PhSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ph_sim_server_finalize;

}

static void
ph_sim_server_init (PhSimServer *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->snapshot_order);
}

PhSimServer *
ph_sim_server_new (const PhSimOptions *options)
{
  PhSimServer *self = g_object_new (PH_TYPE_SIM_SERVER, NULL);

  if (options != NULL)
    self->options = *options;
  else
    ph_sim_options_init (&self->options);

  self->token = g_strdup (self->options.token);
  self->options.token = NULL;
  if (self->options.require_client_cert)
    self->options.tls = TRUE;
  if (self->options.continue_ttl_seconds == 0)
    self->options.continue_ttl_seconds = PH_SIM_DEFAULT_CONTINUE_TTL;
  self->churn_rate = MAX (0.0, self->options.churn);

  return self;
}

/* Running code on the server's thread. */

typedef struct {
  PhSimServer *self;
  GSourceFunc  func;
  gpointer     data;
  gboolean     done;
} SyncCall;

static gboolean
sync_call_run (gpointer user_data)
{
  SyncCall *call = user_data;

  call->func (call->data);

  g_mutex_lock (&call->self->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->self->cond);
  g_mutex_unlock (&call->self->lock);

  return G_SOURCE_REMOVE;
}

void
ph_sim_server_run_sync (PhSimServer *self,
                        GSourceFunc  func,
                        gpointer     data)
{
  SyncCall call = { self, func, data, FALSE };
  GSource *source;

  g_mutex_lock (&self->lock);
  if (self->thread == NULL || !self->thread_ready ||
      g_main_context_is_owner (self->context))
    {
      /* Not running (nothing else touches the state), or already on the
       * server's thread. */
      g_mutex_unlock (&self->lock);
      func (data);
      return;
    }

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, sync_call_run, &call, NULL);
  g_source_attach (source, self->context);
  g_source_unref (source);

  while (!call.done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

/* Churn and bookmarks on the server's thread. */

static gboolean
churn_tick (gpointer user_data)
{
  PhSimServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint steps;

  self->churn_debt += self->churn_rate * (now - self->churn_last) / (double) G_USEC_PER_SEC;
  self->churn_last = now;
  steps = (guint) MIN (self->churn_debt, MAX_STEPS_PER_TICK);
  self->churn_debt -= steps;
  if (self->churn_debt > MAX_STEPS_PER_TICK)
    self->churn_debt = 0;

  for (guint i = 0; i < steps; i++)
    ph_sim_world_churn_step (self->world);

  return G_SOURCE_CONTINUE;
}

static void
destroy_source (PhSimServer *self,
                guint       *id)
{
  GSource *source;

  if (*id == 0)
    return;
  source = g_main_context_find_source_by_id (self->context, *id);
  if (source != NULL)
    g_source_destroy (source);
  *id = 0;
}

static void
update_churn_source (PhSimServer *self)
{
  if (self->churn_rate > 0 && self->churn_source == 0 && self->context != NULL)
    {
      GSource *source = g_timeout_source_new (CHURN_TICK_MS);

      self->churn_last = g_get_monotonic_time ();
      self->churn_debt = 0;
      g_source_set_callback (source, churn_tick, self, NULL);
      self->churn_source = g_source_attach (source, self->context);
      g_source_unref (source);
    }
  else if (self->churn_rate <= 0)
    destroy_source (self, &self->churn_source);
}

static gboolean
bookmark_tick (gpointer user_data)
{
  ph_sim_watch_bookmark_all (user_data);
  return G_SOURCE_CONTINUE;
}

/* Client certificates are checked against our CA by hand: SoupServer has
 * no CA of its own to verify them with. */
static gboolean
on_accept_certificate (SoupServerMessage    *msg,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       PhSimServer          *self)
{
  return peer != NULL && g_tls_certificate_verify (peer, NULL, self->ca_cert) == 0;
}

/* libsoup 3.2 never notices when a client closes a keep-alive connection
 * while it is idle (fixed in 3.3), so each such connection keeps its
 * descriptor.  Closing the socket behind libsoup's back races with its own
 * sources, so instead a long-running sim gets room: the soft descriptor
 * limit is raised to the hard one once per process. */
static void
raise_descriptor_limit (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      struct rlimit limit;

      if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
        {
          limit.rlim_cur = limit.rlim_max;
          if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
            g_debug ("Could not raise the descriptor limit: %s", g_strerror (errno));
        }
      g_once_init_leave (&done, 1);
    }
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    PhSimServer       *self)
{
  if (self->options.require_client_cert)
    g_signal_connect_object (msg, "accept-certificate",
                             G_CALLBACK (on_accept_certificate), self, 0);
}

static gboolean
server_setup (PhSimServer  *self,
              GError      **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  SoupServerListenOptions listen_options = 0;
  GSource *source;

  if (self->options.tls)
    {
      g_autofree char *cert = load_cert_resource ("server.pem");
      g_autofree char *key = load_cert_resource ("server-key.pem");
      g_autofree char *ca = load_cert_resource ("ca.pem");
      g_autofree char *both = g_strconcat (cert, key, NULL);

      self->server_cert = g_tls_certificate_new_from_pem (both, -1, error);
      if (self->server_cert == NULL)
        return FALSE;
      self->ca_cert = g_tls_certificate_new_from_pem (ca, -1, error);
      if (self->ca_cert == NULL)
        return FALSE;
      listen_options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  raise_descriptor_limit ();

  self->soup = g_object_new (SOUP_TYPE_SERVER,
                             "server-header", "porthole-sim",
                             "tls-certificate", self->server_cert,
                             NULL);
  if (self->options.require_client_cert)
    soup_server_set_tls_auth_mode (self->soup, G_TLS_AUTHENTICATION_REQUIRED);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  soup_server_add_handler (self->soup, NULL, ph_sim_http_handle, self, NULL);

  /* Our own socket, so the port is known without asking SoupServer. */
  address = g_inet_socket_address_new (loopback, self->options.port);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, TRUE, NULL);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, listen_options, error))
    return FALSE;

  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  self->store = ph_sim_store_new (self->options.history_size);
  self->world = ph_sim_world_new (self->store, self->options.seed,
                                  self->options.pods, self->options.namespaces);
  ph_sim_store_set_listener (self->store, ph_sim_watch_dispatch, self);
  self->watchers = g_ptr_array_new ();

  update_churn_source (self);

  source = g_timeout_source_new_seconds (PH_SIM_BOOKMARK_INTERVAL);
  g_source_set_callback (source, bookmark_tick, self, NULL);
  self->bookmark_source = g_source_attach (source, self->context);
  g_source_unref (source);

  return TRUE;
}

static void
server_teardown (PhSimServer *self)
{
  /* Before the iterations below: a churn or bookmark tick dispatched there
   * would touch the watchers freed next. */
  destroy_source (self, &self->churn_source);
  destroy_source (self, &self->bookmark_source);

  if (self->watchers != NULL)
    {
      ph_sim_watch_drop_all (self);
      g_ptr_array_foreach (self->watchers, (GFunc) ph_sim_watcher_free, NULL);
      g_clear_pointer (&self->watchers, g_ptr_array_unref);
    }

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }

  /* Let pending callbacks and frees run before the state goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;

  ph_sim_snapshots_clear (self);
  g_clear_pointer (&self->world, ph_sim_world_free);
  g_clear_pointer (&self->store, ph_sim_store_free);
}

static gpointer
server_thread (gpointer user_data)
{
  PhSimServer *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);

  ok = server_setup (self, &error);

  g_mutex_lock (&self->lock);
  if (!ok)
    self->start_error = g_steal_pointer (&error);
  self->thread_ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (!ok)
    {
      /* start_finish() may not have seen thread_ready yet: leave it set
       * for it, and it resets it after joining this thread. */
      server_teardown (self);
      g_main_context_pop_thread_default (self->context);
      return NULL;
    }

  g_main_loop_run (self->loop);

  g_mutex_lock (&self->lock);
  self->thread_ready = FALSE;
  g_mutex_unlock (&self->lock);

  server_teardown (self);

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

static void
start_begin (PhSimServer *self)
{
  g_autofree char *name = g_strdup_printf ("sim-%u", self->options.port);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new (name, server_thread, self);
}

static gboolean
start_finish (PhSimServer  *self,
              GError      **error)
{
  g_mutex_lock (&self->lock);
  while (!self->thread_ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->start_error != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      self->thread_ready = FALSE;
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }

  g_debug ("Simulated cluster listening on port %u with %u pods", self->port, self->options.pods);
  return TRUE;
}

gboolean
ph_sim_server_start (PhSimServer  *self,
                     GError      **error)
{
  g_return_val_if_fail (PH_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  start_begin (self);
  return start_finish (self, error);
}

static gboolean
stop_on_thread (gpointer data)
{
  PhSimServer *self = data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_stop (PhSimServer *self)
{
  g_return_if_fail (PH_IS_SIM_SERVER (self));

  if (self->thread == NULL)
    return;

  ph_sim_server_run_sync (self, stop_on_thread, self);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

guint16
ph_sim_server_get_port (PhSimServer *self)
{
  g_return_val_if_fail (PH_IS_SIM_SERVER (self), 0);

  return self->port;
}

char *
ph_sim_server_get_url (PhSimServer *self)
{
  g_return_val_if_fail (PH_IS_SIM_SERVER (self), NULL);

  return g_strdup_printf ("%s://127.0.0.1:%u", self->options.tls ? "https" : "http", self->port);
}

char *
ph_sim_server_get_ca_pem (PhSimServer *self)
{
  g_return_val_if_fail (PH_IS_SIM_SERVER (self), NULL);

  if (!self->options.tls)
    return NULL;
  return load_cert_resource ("ca.pem");
}

gboolean
ph_sim_server_get_client_cert (PhSimServer  *self,
                               char        **cert_pem,
                               char        **key_pem)
{
  g_return_val_if_fail (PH_IS_SIM_SERVER (self), FALSE);

  if (!self->options.tls)
    return FALSE;

  if (cert_pem != NULL)
    *cert_pem = load_cert_resource ("client.pem");
  if (key_pem != NULL)
    *key_pem = load_cert_resource ("client-key.pem");
  return TRUE;
}

/* Kubeconfig. */

static JsonArray *
ensure_array (JsonObject *root,
              const char *name)
{
  JsonNode *node = json_object_get_member (root, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    json_object_set_array_member (root, name, json_array_new ());

  return json_object_get_array_member (root, name);
}

static void
replace_named (JsonArray  *array,
               const char *name,
               JsonObject *entry)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL),
                     name) == 0)
        {
          json_array_remove_element (array, i);
          break;
        }
    }

  json_array_add_object_element (array, entry);
}

gboolean
ph_sim_server_write_kubeconfig (PhSimServer  *self,
                                const char   *path,
                                const char   *context_name,
                                GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autofree char *existing = NULL;
  g_autoptr(GError) read_error = NULL;
  JsonObject *root;
  JsonObject *entry, *cluster, *user, *context;

  g_return_val_if_fail (PH_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (context_name != NULL, FALSE);

  /* Merging works on kubeconfigs we wrote (JSON is valid YAML, and every
   * kubeconfig loader reads it).  A file that exists but cannot be read
   * is an error: writing anyway would replace it. */
  if (!g_file_get_contents (path, &existing, NULL, &read_error))
    {
      if (!g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&read_error),
                                      "Cannot merge into %s: ", path);
          return FALSE;
        }
    }
  if (existing != NULL && existing[0] != '\0')
    {
      if (!json_parser_load_from_data (parser, existing, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cannot merge into %s: only kubeconfigs in JSON, as the simulator writes them, "
                       "can be merged into (this one is YAML or not a kubeconfig); write to a new file instead",
                       path);
          return FALSE;
        }
      root_node = json_node_copy (json_parser_get_root (parser));
    }
  else
    {
      root_node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root_node, json_object_new ());
    }

  root = json_node_get_object (root_node);
  json_object_set_string_member (root, "apiVersion", "v1");
  json_object_set_string_member (root, "kind", "Config");
  if (!json_object_has_member (root, "preferences"))
    json_object_set_object_member (root, "preferences", json_object_new ());
  if (json_object_get_string_member_with_default (root, "current-context", NULL) == NULL)
    json_object_set_string_member (root, "current-context", context_name);

  url = ph_sim_server_get_url (self);
  cluster = json_object_new ();
  json_object_set_string_member (cluster, "server", url);
  if (self->options.tls)
    {
      g_autofree char *ca = ph_sim_server_get_ca_pem (self);
      g_autofree char *ca64 = g_base64_encode ((const guchar *) ca, strlen (ca));

      json_object_set_string_member (cluster, "certificate-authority-data", ca64);
    }
  entry = json_object_new ();
  json_object_set_string_member (entry, "name", context_name);
  json_object_set_object_member (entry, "cluster", cluster);
  replace_named (ensure_array (root, "clusters"), context_name, entry);

  user = json_object_new ();
  if (self->token != NULL)
    json_object_set_string_member (user, "token", self->token);
  if (self->options.require_client_cert)
    {
      g_autofree char *cert = NULL;
      g_autofree char *key = NULL;
      g_autofree char *cert64 = NULL;
      g_autofree char *key64 = NULL;

      ph_sim_server_get_client_cert (self, &cert, &key);
      cert64 = g_base64_encode ((const guchar *) cert, strlen (cert));
      key64 = g_base64_encode ((const guchar *) key, strlen (key));
      json_object_set_string_member (user, "client-certificate-data", cert64);
      json_object_set_string_member (user, "client-key-data", key64);
    }
  entry = json_object_new ();
  json_object_set_string_member (entry, "name", context_name);
  json_object_set_object_member (entry, "user", user);
  replace_named (ensure_array (root, "users"), context_name, entry);

  context = json_object_new ();
  json_object_set_string_member (context, "cluster", context_name);
  json_object_set_string_member (context, "user", context_name);
  json_object_set_string_member (context, "namespace", "default");
  entry = json_object_new ();
  json_object_set_string_member (entry, "name", context_name);
  json_object_set_object_member (entry, "context", context);
  replace_named (ensure_array (root, "contexts"), context_name, entry);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root_node);
  text = json_generator_to_data (generator, NULL);

  return g_file_set_contents_full (path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Churn and faults. */

typedef struct {
  PhSimServer *self;
  double       rate;
  guint        n;
  guint        status;
  guint64      rv;
  const char  *resource;
  const char  *namespace_;
  GPtrArray   *lines;
} Op;

static gboolean
op_set_churn (gpointer data)
{
  Op *op = data;

  op->self->churn_rate = op->rate;
  update_churn_source (op->self);
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_set_churn (PhSimServer *self,
                         double       events_per_second)
{
  Op op = { .self = self, .rate = MAX (0.0, events_per_second) };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  ph_sim_server_run_sync (self, op_set_churn, &op);
}

static gboolean
op_churn_steps (gpointer data)
{
  Op *op = data;

  if (op->self->world != NULL)
    for (guint i = 0; i < op->n; i++)
      ph_sim_world_churn_step (op->self->world);
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_churn_steps (PhSimServer *self,
                           guint        n)
{
  Op op = { .self = self, .n = n };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  ph_sim_server_run_sync (self, op_churn_steps, &op);
}

static gboolean
op_drop_watches (gpointer data)
{
  Op *op = data;

  if (op->self->watchers == NULL)
    return G_SOURCE_REMOVE;
  if (op->n)
    ph_sim_watch_cut_all (op->self);
  else
    ph_sim_watch_drop_all (op->self);
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_drop_watches (PhSimServer *self)
{
  Op op = { .self = self };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  ph_sim_server_run_sync (self, op_drop_watches, &op);
}

void
ph_sim_server_cut_watches (PhSimServer *self)
{
  Op op = { .self = self, .n = 1 };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  ph_sim_server_run_sync (self, op_drop_watches, &op);
}

static gboolean
op_bookmark_watches (gpointer data)
{
  Op *op = data;

  if (op->self->watchers != NULL)
    ph_sim_watch_bookmark_all (op->self);
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_bookmark_watches (PhSimServer *self)
{
  Op op = { .self = self };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  ph_sim_server_run_sync (self, op_bookmark_watches, &op);
}

typedef struct {
  PhSimServer *self;
  const char  *namespace_;
  const char  *name;
  const char  *key;
  const char  *value;
  gboolean     found;
} LabelOp;

static gboolean
op_label_pod (gpointer data)
{
  LabelOp *op = data;

  op->found = ph_sim_world_label_pod (op->self->world, op->namespace_, op->name, op->key, op->value);
  return G_SOURCE_REMOVE;
}

gboolean
ph_sim_server_label_pod (PhSimServer *self,
                         const char  *namespace_,
                         const char  *name,
                         const char  *key,
                         const char  *value)
{
  LabelOp op = { self, namespace_, name, key, value, FALSE };

  g_return_val_if_fail (PH_IS_SIM_SERVER (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  ph_sim_server_run_sync (self, op_label_pod, &op);
  return op.found;
}

typedef struct {
  PhSimServer     *self;
  PhSimWatchStats *stats;
} StatsOp;

static gboolean
op_watch_stats (gpointer data)
{
  StatsOp *op = data;

  if (op->self->watchers == NULL)
    return G_SOURCE_REMOVE;
  op->stats->watches = op->self->watchers->len;
  op->stats->streaming = ph_sim_watch_count_streaming (op->self);
  op->stats->initial_events_sent = op->self->initial_events_sent;
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_get_watch_stats (PhSimServer     *self,
                               PhSimWatchStats *stats)
{
  StatsOp op = { self, stats };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  memset (stats, 0, sizeof *stats);
  ph_sim_server_run_sync (self, op_watch_stats, &op);
}

static gboolean
op_compact (gpointer data)
{
  Op *op = data;

  if (op->self->store != NULL)
    ph_sim_store_compact (op->self->store);
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_compact (PhSimServer *self)
{
  Op op = { .self = self };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  ph_sim_server_run_sync (self, op_compact, &op);
}

static gboolean
op_fail_next (gpointer data)
{
  Op *op = data;

  op->self->fail_remaining = op->n;
  op->self->fail_status = op->status;
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_fail_next (PhSimServer *self,
                         guint        n,
                         guint        http_status)
{
  Op op = { .self = self, .n = n, .status = http_status ? http_status : 500 };

  g_return_if_fail (PH_IS_SIM_SERVER (self));
  g_return_if_fail (http_status == 0 || (http_status >= 400 && http_status < 600));

  ph_sim_server_run_sync (self, op_fail_next, &op);
}

static gboolean
op_set_latency (gpointer data)
{
  Op *op = data;

  op->self->latency_ms = op->n;
  return G_SOURCE_REMOVE;
}

void
ph_sim_server_set_latency (PhSimServer *self,
                           guint        milliseconds)
{
  Op op = { .self = self, .n = milliseconds };

  g_return_if_fail (PH_IS_SIM_SERVER (self));

  ph_sim_server_run_sync (self, op_set_latency, &op);
}

static gboolean
op_get_rv (gpointer data)
{
  Op *op = data;

  op->rv = op->self->store ? ph_sim_store_get_rv (op->self->store) : 0;
  return G_SOURCE_REMOVE;
}

guint64
ph_sim_server_get_resource_version (PhSimServer *self)
{
  Op op = { .self = self };

  g_return_val_if_fail (PH_IS_SIM_SERVER (self), 0);

  ph_sim_server_run_sync (self, op_get_rv, &op);
  return op.rv;
}

static gboolean
op_snapshot (gpointer data)
{
  Op *op = data;
  g_autoptr(GPtrArray) items = NULL;
  PhSimResId res;

  if (op->self->store == NULL)
    return G_SOURCE_REMOVE;

  for (res = 0; res < PH_SIM_N_RES; res++)
    if (strcmp (ph_sim_resources[res].resource, op->resource) == 0)
      break;
  if (res == PH_SIM_N_RES)
    return G_SOURCE_REMOVE;

  items = ph_sim_store_list (op->self->store, res, op->namespace_);
  for (guint i = 0; i < items->len; i++)
    {
      PhSimObj *obj = g_ptr_array_index (items, i);

      g_ptr_array_add (op->lines,
                       g_strdup_printf ("%s %s %" G_GUINT64_FORMAT, obj->key, obj->uid, obj->rv));
    }
  return G_SOURCE_REMOVE;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
ph_sim_server_snapshot (PhSimServer *self,
                        const char  *resource,
                        const char  *namespace_)
{
  Op op = { .self = self, .resource = resource, .namespace_ = namespace_ };

  g_return_val_if_fail (PH_IS_SIM_SERVER (self), NULL);
  g_return_val_if_fail (resource != NULL, NULL);

  op.lines = g_ptr_array_new_with_free_func (g_free);
  ph_sim_server_run_sync (self, op_snapshot, &op);
  g_ptr_array_sort (op.lines, compare_lines);
  return op.lines;
}

/* The control endpoint, on the server's thread. */

void
ph_sim_server_control (PhSimServer       *self,
                       SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *request;
  const char *action;

  if (strcmp (method, "GET") != 0 && strcmp (method, "POST") != 0)
    {
      ph_sim_send_status (msg, 405, "MethodNotAllowed", "use GET for the state, POST for actions");
      return;
    }

  if (strcmp (method, "POST") == 0)
    {
      body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                       g_bytes_get_size (body), &error) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          ph_sim_send_status (msg, 400, "BadRequest", "the body must be a JSON object with an \"action\"");
          return;
        }

      request = json_node_get_object (json_parser_get_root (parser));
      action = json_object_get_string_member_with_default (request, "action", "");

      if (strcmp (action, "drop-watches") == 0)
        {
          if (json_object_get_boolean_member_with_default (request, "abrupt", FALSE))
            ph_sim_watch_cut_all (self);
          else
            ph_sim_watch_drop_all (self);
        }
      else if (strcmp (action, "compact") == 0)
        ph_sim_store_compact (self->store);
      else if (strcmp (action, "bookmark") == 0)
        ph_sim_watch_bookmark_all (self);
      else if (strcmp (action, "fail-next") == 0)
        {
          gint64 n = json_object_get_int_member_with_default (request, "n", 1);
          gint64 status = json_object_get_int_member_with_default (request, "status", 500);

          if (n < 0 || status < 400 || status > 599)
            {
              ph_sim_send_status (msg, 400, "BadRequest", "fail-next needs n >= 0 and a status in 400…599");
              return;
            }
          self->fail_remaining = n;
          self->fail_status = status;
        }
      else if (strcmp (action, "latency") == 0)
        self->latency_ms = CLAMP (json_object_get_int_member_with_default (request, "ms", 0), 0, 60000);
      else if (strcmp (action, "churn") == 0)
        {
          self->churn_rate = MAX (0.0, json_object_get_double_member_with_default (request, "rate", 0));
          update_churn_source (self);
        }
      else if (strcmp (action, "churn-steps") == 0)
        {
          gint64 n = CLAMP (json_object_get_int_member_with_default (request, "n", 1), 0, 1000000);

          for (gint64 i = 0; i < n; i++)
            ph_sim_world_churn_step (self->world);
        }
      else
        {
          g_autofree char *message = g_strdup_printf ("unknown action \"%s\"", action);
          ph_sim_send_status (msg, 400, "BadRequest", message);
          return;
        }
    }

  reply = g_string_new (NULL);
  g_string_append_printf (reply,
                          "{\"resourceVersion\":\"%" G_GUINT64_FORMAT "\",\"compactedResourceVersion\":\"%"
                          G_GUINT64_FORMAT "\",\"watches\":%u,\"pods\":%u,\"churn\":%g,\"latencyMs\":%u,"
                          "\"failNext\":%u}",
                          ph_sim_store_get_rv (self->store),
                          ph_sim_store_get_compacted_rv (self->store),
                          self->watchers->len,
                          ph_sim_store_count (self->store, PH_SIM_RES_PODS),
                          self->churn_rate, self->latency_ms, self->fail_remaining);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    reply->str, reply->len);
}

/* The demo. */

GPtrArray *
ph_sim_start_demo_clusters (const char  *kubeconfig_path,
                            GError     **error)
{
  static const struct {
    const char *name;
    guint pods;
    guint namespaces;
    double churn;
  } demo[] = {
    { "demo-small", 60, 3, 0.5 },
    { "demo-medium", 1500, 12, 2.0 },
    { "demo-large", 12000, 40, 5.0 },
  };
  g_autoptr(GPtrArray) servers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = NULL;

  g_return_val_if_fail (kubeconfig_path != NULL, NULL);

  dir = g_path_get_dirname (kubeconfig_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  /* A fresh file each time: the ports change from run to run. */
  if (g_unlink (kubeconfig_path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot replace %s: %s", kubeconfig_path, g_strerror (saved_errno));
      return NULL;
    }

  /* The clusters generate their objects in parallel, each on its thread. */
  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      PhSimOptions options;
      PhSimServer *server;

      ph_sim_options_init (&options);
      options.pods = demo[i].pods;
      options.namespaces = demo[i].namespaces;
      options.churn = demo[i].churn;
      options.seed = 1000 + i;

      server = ph_sim_server_new (&options);
      start_begin (server);
      g_ptr_array_add (servers, server);
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    if (!start_finish (servers->pdata[i], error))
      {
        /* The others stop as they are finalized. */
        g_ptr_array_remove_index (servers, i);
        for (guint j = i; j < servers->len; j++)
          start_finish (servers->pdata[j], NULL);
        return NULL;
      }

  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    if (!ph_sim_server_write_kubeconfig (servers->pdata[i], kubeconfig_path, demo[i].name, error))
      return NULL;

  return g_steal_pointer (&servers);
}
