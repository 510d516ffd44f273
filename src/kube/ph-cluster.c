/* ph-cluster.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <json-glib/json-glib.h>

#include "ph-cluster.h"
#include "ph-exec-credential.h"
#include "ph-kube-error.h"
#include "ph-kubeconfig.h"

/* Watches are long and quiet, so the session has no I/O timeout; only
 * connecting (DNS, TCP, TLS handshake) is bounded. */
#define DEFAULT_CONNECT_TIMEOUT_SECONDS 30
/* A Status body is small; anything bigger is not worth quoting. */
#define ERROR_BODY_MAX (64 * 1024)
#define WEBSOCKET_MAX_PAYLOAD (256 * 1024 * 1024)

struct _PhCluster
{
  GObject           parent_instance;

  PhContext        *context;
  char             *context_name;
  char             *server;
  char             *namespace_;
  char             *user_name;
  GUri             *base_uri;
  SoupSession      *session;

  /* TLS */
  GPtrArray        *ca_certs;       /* GTlsCertificate; NULL: system store */
  gboolean          insecure;
  char             *tls_server_name;
  GTlsCertificate  *client_cert;

  /* credentials */
  char             *token;
  char             *token_file;
  char             *file_token;
  gint64            file_token_mtime;
  goffset           file_token_size;
  char             *basic_auth;
  PhExecCredential *exec;

  guint             connect_timeout;

  /* discovery */
  GPtrArray        *resources;      /* PhResourceInfo; NULL until discovered */
  GPtrArray        *discover_waiters; /* GTask with a DiscoverWaiter */
  gboolean          discovering;
  guint             discovery_generation; /* bumped by every invalidation */
  GHashTable       *versioned;      /* "group/version" -> GPtrArray of PhResourceInfo */
};

G_DEFINE_FINAL_TYPE (PhCluster, ph_cluster, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PhResourceInfo, ph_resource_info, ph_resource_info_ref, ph_resource_info_unref)

static void ph_cluster_discover_run (PhCluster *self);

PhResourceInfo *
ph_resource_info_ref (PhResourceInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_atomic_ref_count_inc (&info->ref_count);
  return info;
}

void
ph_resource_info_unref (PhResourceInfo *info)
{
  g_return_if_fail (info != NULL);

  if (g_atomic_ref_count_dec (&info->ref_count))
    {
      g_free (info->group);
      g_free (info->version);
      g_free (info->resource);
      g_free (info->kind);
      g_free (info->singular);
      g_strfreev (info->short_names);
      g_strfreev (info->verbs);
      g_free (info);
    }
}

static void
wipe_string (char **str)
{
  if (*str != NULL)
    memset (*str, 0, strlen (*str));
  g_clear_pointer (str, g_free);
}

static void
ph_cluster_dispose (GObject *object)
{
  PhCluster *self = (PhCluster *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->exec);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (ph_cluster_parent_class)->dispose (object);
}

static void
ph_cluster_finalize (GObject *object)
{
  PhCluster *self = (PhCluster *) object;

  g_free (self->context_name);
  g_free (self->server);
  g_free (self->namespace_);
  g_free (self->user_name);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->ca_certs, g_ptr_array_unref);
  g_free (self->tls_server_name);
  g_clear_object (&self->client_cert);
  wipe_string (&self->token);
  g_free (self->token_file);
  wipe_string (&self->file_token);
  wipe_string (&self->basic_auth);
  g_clear_pointer (&self->resources, g_ptr_array_unref);
  g_clear_pointer (&self->discover_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->versioned, g_hash_table_unref);

  G_OBJECT_CLASS (ph_cluster_parent_class)->finalize (object);
}

static void
ph_cluster_class_init (PhClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ph_cluster_dispose;
  object_class->finalize = ph_cluster_finalize;
}

static void
ph_cluster_init (PhCluster *self)
{
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT_SECONDS;
  self->discover_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->versioned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
}

/* All certificates of a PEM bundle. */
static GPtrArray *
parse_ca_bundle (GBytes  *pem,
                 GError **error)
{
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = g_strndup (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
  const char *begin_marker = "-----BEGIN CERTIFICATE-----";
  const char *end_marker = "-----END CERTIFICATE-----";
  const char *pos = text;

  while ((pos = strstr (pos, begin_marker)) != NULL)
    {
      const char *end = strstr (pos, end_marker);
      g_autofree char *one = NULL;
      GTlsCertificate *cert;

      if (end == NULL)
        break;
      end += strlen (end_marker);
      one = g_strndup (pos, end - pos);
      cert = g_tls_certificate_new_from_pem (one, -1, error);
      if (cert == NULL)
        return NULL;
      g_ptr_array_add (certs, cert);
      pos = end;
    }

  if (certs->len == 0)
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                           "no PEM certificate found");
      return NULL;
    }
  return g_steal_pointer (&certs);
}

/* Go's ProxyFromEnvironment: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, upper
 * case first, and loopback is never proxied. */
static GProxyResolver *
proxy_resolver_from_environment (void)
{
  const char *https_proxy = g_getenv ("HTTPS_PROXY");
  const char *http_proxy = g_getenv ("HTTP_PROXY");
  const char *no_proxy = g_getenv ("NO_PROXY");
  g_autoptr(GStrvBuilder) ignore = g_strv_builder_new ();
  g_auto(GStrv) ignore_hosts = NULL;
  GProxyResolver *resolver;

  if (https_proxy == NULL || https_proxy[0] == '\0')
    https_proxy = g_getenv ("https_proxy");
  if (http_proxy == NULL || http_proxy[0] == '\0')
    http_proxy = g_getenv ("http_proxy");
  if (no_proxy == NULL || no_proxy[0] == '\0')
    no_proxy = g_getenv ("no_proxy");

  if ((https_proxy == NULL || https_proxy[0] == '\0') &&
      (http_proxy == NULL || http_proxy[0] == '\0'))
    return NULL;

  g_strv_builder_add_many (ignore, "localhost", "127.0.0.0/8", "::1", NULL);
  if (no_proxy != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (no_proxy, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          char *part = g_strstrip (parts[i]);

          if (strcmp (part, "*") == 0)
            return NULL;
          if (part[0] == '\0')
            continue;
          /* ".example.com" and "example.com" both mean the domain */
          g_strv_builder_add (ignore, part[0] == '.' ? part + 1 : part);
        }
    }
  ignore_hosts = g_strv_builder_end (ignore);

  resolver = g_simple_proxy_resolver_new (NULL, ignore_hosts);
  if (https_proxy != NULL && https_proxy[0] != '\0')
    {
      g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "https", https_proxy);
      g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "wss", https_proxy);
    }
  if (http_proxy != NULL && http_proxy[0] != '\0')
    {
      g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "http", http_proxy);
      g_simple_proxy_resolver_set_uri_proxy (G_SIMPLE_PROXY_RESOLVER (resolver), "ws", http_proxy);
    }
  return resolver;
}

static GBytes *
concat_pem (GBytes *cert,
            GBytes *key)
{
  GByteArray *pem = g_byte_array_new ();

  g_byte_array_append (pem, g_bytes_get_data (cert, NULL), g_bytes_get_size (cert));
  g_byte_array_append (pem, (const guint8 *) "\n", 1);
  g_byte_array_append (pem, g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  g_byte_array_append (pem, (const guint8 *) "", 1);
  return g_byte_array_free_to_bytes (pem);
}

PhCluster *
ph_cluster_new (PhKubeconfig  *config,
                const char    *context_name,
                GError       **error)
{
  g_autoptr(PhCluster) self = NULL;
  g_autoptr(GProxyResolver) resolver = NULL;
  g_autoptr(GError) local_error = NULL;
  PhContext *context;
  GBytes *ca_data;
  g_autofree char *user_agent = NULL;

  g_return_val_if_fail (PH_IS_KUBECONFIG (config), NULL);

  if (context_name == NULL)
    context_name = ph_kubeconfig_get_current_context (config);
  if (context_name == NULL)
    {
      g_set_error_literal (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                           "The kubeconfig sets no current-context; choose a context");
      return NULL;
    }

  context = ph_kubeconfig_lookup_context (config, context_name);
  if (context == NULL)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "Context \"%s\" is not in the kubeconfig", context_name);
      return NULL;
    }
  if (ph_context_get_error (context) != NULL)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "Context \"%s\" is broken: %s", context_name,
                   ph_context_get_error (context)->message);
      return NULL;
    }

  self = g_object_new (PH_TYPE_CLUSTER, NULL);
  self->context = g_object_ref (context);
  self->context_name = g_strdup (context_name);
  self->server = g_strdup (ph_context_get_server (context));
  self->namespace_ = g_strdup (ph_context_get_namespace (context));
  self->user_name = g_strdup (ph_context_get_user_name (context));
  self->base_uri = g_uri_parse (self->server, G_URI_FLAGS_ENCODED, &local_error);
  if (self->base_uri == NULL)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "Context \"%s\": server \"%s\" is not a URL: %s", context_name,
                   self->server, local_error->message);
      return NULL;
    }

  self->insecure = ph_context_get_insecure_skip_tls_verify (context);
  self->tls_server_name = g_strdup (ph_context_get_tls_server_name (context));
  ca_data = ph_context_get_certificate_authority_data (context);
  if (ca_data != NULL)
    {
      self->ca_certs = parse_ca_bundle (ca_data, &local_error);
      if (self->ca_certs == NULL)
        {
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                       "Context \"%s\": certificate authority: %s", context_name,
                       local_error->message);
          return NULL;
        }
    }

  if (ph_context_get_client_certificate_data (context) != NULL &&
      ph_context_get_client_key_data (context) != NULL)
    {
      g_autoptr(GBytes) pem = concat_pem (ph_context_get_client_certificate_data (context),
                                          ph_context_get_client_key_data (context));

      self->client_cert = g_tls_certificate_new_from_pem (g_bytes_get_data (pem, NULL), -1, &local_error);
      memset ((char *) g_bytes_get_data (pem, NULL), 0, g_bytes_get_size (pem));
      if (self->client_cert == NULL)
        {
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                       "Context \"%s\": client certificate of user \"%s\": %s", context_name,
                       self->user_name, local_error->message);
          return NULL;
        }
    }

  if (ph_context_get_token (context) != NULL && ph_context_get_token (context)[0] != '\0')
    self->token = g_strdup (ph_context_get_token (context));
  self->token_file = g_strdup (ph_context_get_token_file (context));
  if (ph_context_get_username (context) != NULL || ph_context_get_password (context) != NULL)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s",
                                               ph_context_get_username (context) ?: "",
                                               ph_context_get_password (context) ?: "");
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));

      self->basic_auth = g_strdup_printf ("Basic %s", b64);
      memset (pair, 0, strlen (pair));
      memset (b64, 0, strlen (b64));
    }
  if (ph_context_get_exec (context) != NULL)
    self->exec = ph_exec_credential_get_shared (context);

  user_agent = g_strdup_printf ("porthole/%s", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("timeout", 0,
                                                 "max-conns-per-host", 128,
                                                 "max-conns", 256,
                                                 "user-agent", user_agent,
                                                 NULL);
  /* With a kubeconfig CA, trust that CA only: without a database every
   * peer fails validation, so accept-certificate decides, with our CA. */
  if (self->ca_certs != NULL || self->insecure)
    soup_session_set_tls_database (self->session, NULL);

  if (ph_context_get_proxy_url (context) != NULL && ph_context_get_proxy_url (context)[0] != '\0')
    resolver = g_simple_proxy_resolver_new (ph_context_get_proxy_url (context), NULL);
  else
    resolver = proxy_resolver_from_environment ();
  if (resolver != NULL)
    soup_session_set_proxy_resolver (self->session, resolver);

  return g_steal_pointer (&self);
}

/* The inside of a YAML double-quoted scalar; UTF-8 passes through. */
static char *
yaml_double_quote (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const unsigned char *c = (const unsigned char *) (s ? s : ""); *c; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (out, "\\%c", *c);
      else if (*c < 0x20 || *c == 0x7f)
        g_string_append_printf (out, "\\x%02x", *c);
      else
        g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

PhCluster *
ph_cluster_new_for_server (const char  *context_name,
                           const char  *server_url,
                           const char  *token,
                           const char  *ca_pem,
                           GError     **error)
{
  g_autoptr(GString) yaml = g_string_new (NULL);
  g_autoptr(PhKubeconfig) config = NULL;

  g_return_val_if_fail (context_name != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  /* Same path as a file on disk, so there is one way to set a cluster up.
   * Values are JSON-quoted, which YAML reads as double-quoted strings. */
#define QUOTE(s) g_autofree char *q_##s = yaml_double_quote (s)
  QUOTE (context_name);
  QUOTE (server_url);
  QUOTE (token);
#undef QUOTE

  g_string_append_printf (yaml, "clusters:\n- name: \"%s\"\n  cluster:\n    server: \"%s\"\n",
                          q_context_name, q_server_url);
  if (ca_pem != NULL)
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) ca_pem, strlen (ca_pem));
      g_string_append_printf (yaml, "    certificate-authority-data: %s\n", b64);
    }
  g_string_append_printf (yaml, "users:\n- name: \"%s\"\n  user:\n", q_context_name);
  if (token != NULL)
    g_string_append_printf (yaml, "    token: \"%s\"\n", q_token);
  g_string_append_printf (yaml,
                          "contexts:\n- name: \"%s\"\n  context:\n    cluster: \"%s\"\n    user: \"%s\"\n"
                          "current-context: \"%s\"\n",
                          q_context_name, q_context_name, q_context_name, q_context_name);

  config = ph_kubeconfig_new_from_data (yaml->str, yaml->len, "(generated)", error);
  if (config == NULL)
    return NULL;
  return ph_cluster_new (config, context_name, error);
}

const char *
ph_cluster_get_context_name (PhCluster *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  return self->context_name;
}

const char *
ph_cluster_get_server (PhCluster *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  return self->server;
}

const char *
ph_cluster_get_default_namespace (PhCluster *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  return (self->namespace_ != NULL && self->namespace_[0] != '\0') ? self->namespace_ : "default";
}

SoupSession *
ph_cluster_get_session (PhCluster *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  return self->session;
}

PhContext *
ph_cluster_get_context (PhCluster *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  return self->context;
}

void
ph_cluster_set_connect_timeout (PhCluster *self,
                                guint      seconds)
{
  g_return_if_fail (PH_IS_CLUSTER (self));
  self->connect_timeout = seconds;
}

guint
ph_cluster_get_exec_runs (PhCluster *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), 0);
  return self->exec ? ph_exec_credential_get_n_runs (self->exec) : 0;
}

GUri *
ph_cluster_build_uri (PhCluster  *self,
                      const char *path_and_query)
{
  g_autofree char *prefix = NULL;
  g_autofree char *path = NULL;
  const char *query;
  const char *base_path;

  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (path_and_query != NULL, NULL);

  base_path = g_uri_get_path (self->base_uri);
  prefix = g_strdup (base_path ? base_path : "");
  while (prefix[0] != '\0' && prefix[strlen (prefix) - 1] == '/')
    prefix[strlen (prefix) - 1] = '\0';

  query = strchr (path_and_query, '?');
  if (query != NULL)
    path = g_strdup_printf ("%s%s%.*s", prefix, path_and_query[0] == '/' ? "" : "/",
                            (int) (query - path_and_query), path_and_query);
  else
    path = g_strdup_printf ("%s%s%s", prefix, path_and_query[0] == '/' ? "" : "/", path_and_query);

  return g_uri_build (G_URI_FLAGS_ENCODED,
                      g_uri_get_scheme (self->base_uri),
                      NULL,
                      g_uri_get_host (self->base_uri),
                      g_uri_get_port (self->base_uri),
                      path,
                      query ? query + 1 : NULL,
                      NULL);
}

/* Server URL without any user:password part, for messages. */
static char *
ph_cluster_dup_display_server (PhCluster *self)
{
  return g_uri_to_string_partial (self->base_uri, G_URI_HIDE_USERINFO | G_URI_HIDE_AUTH_PARAMS);
}

static const char *
tls_flags_to_reason (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return "certificate signed by unknown authority";
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return "certificate is not valid for the server's name";
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return "certificate has expired";
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return "certificate is not valid yet";
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return "certificate has been revoked";
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return "certificate uses an insecure algorithm";
  return "certificate could not be verified";
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  PhCluster *self = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GTlsCertificateFlags flags = errors;
  GUri *uri = soup_message_get_uri (msg);

  if (self->insecure)
    return TRUE;

  identity = g_network_address_new (self->tls_server_name ? self->tls_server_name : g_uri_get_host (uri),
                                    g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);

  if (self->ca_certs != NULL)
    {
      for (guint i = 0; i < self->ca_certs->len; i++)
        {
          flags = g_tls_certificate_verify (peer, identity, g_ptr_array_index (self->ca_certs, i));
          if (flags == 0)
            return TRUE;
        }
    }
  else if (self->tls_server_name != NULL)
    {
      /* The system store with our name instead of the URL's host. */
      GTlsDatabase *db = g_tls_backend_get_default_database (g_tls_backend_get_default ());

      if (db != NULL)
        {
          flags = g_tls_database_verify_chain (db, peer, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                               identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
          g_object_unref (db);
          if (flags == 0)
            return TRUE;
        }
    }

  g_object_set_data (G_OBJECT (msg), "ph-tls-flags", GUINT_TO_POINTER (flags ? flags : G_TLS_CERTIFICATE_GENERIC_ERROR));
  return FALSE;
}

static void
set_client_certificate (SoupMessage     *msg,
                        GTlsCertificate *cert)
{
  soup_message_set_tls_client_certificate (msg, cert);
  /* libsoup has no getter; error messages want to know */
  g_object_set_data (G_OBJECT (msg), "ph-has-client-cert", GINT_TO_POINTER (TRUE));
}

/* tls-server-name is both what we send as SNI and the name the
 * certificate must carry, as with client-go. */
static void
on_message_network_event (SoupMessage        *msg,
                          GSocketClientEvent  event,
                          GIOStream          *connection,
                          gpointer            user_data)
{
  PhCluster *self = user_data;
  GUri *uri;
  g_autoptr(GSocketConnectable) identity = NULL;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING || !G_IS_TLS_CLIENT_CONNECTION (connection))
    return;

  uri = soup_message_get_uri (msg);
  identity = g_network_address_new (self->tls_server_name,
                                    g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  g_tls_client_connection_set_server_identity (G_TLS_CLIENT_CONNECTION (connection), identity);
}

/* The server asked for a client certificate and we have none: remember
 * it, so that the handshake failure that follows says why. */
static gboolean
on_request_certificate (SoupMessage    *msg,
                        GTlsClientConnection *connection,
                        gpointer        user_data)
{
  g_object_set_data (G_OBJECT (msg), "ph-cert-requested", GINT_TO_POINTER (TRUE));
  return FALSE;
}

SoupMessage *
ph_cluster_new_message (PhCluster  *self,
                        const char *method,
                        const char *path_and_query)
{
  g_autoptr(GUri) uri = NULL;
  SoupMessage *msg;

  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path_and_query != NULL, NULL);

  uri = ph_cluster_build_uri (self, path_and_query);
  msg = soup_message_new_from_uri (method, uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", "application/json");
  /* The object outlives no cluster that matters: the session it is sent on
   * belongs to @self, whose dispose aborts it. */
  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), self, 0);
  g_signal_connect (msg, "request-certificate", G_CALLBACK (on_request_certificate), NULL);
  if (self->tls_server_name != NULL)
    g_signal_connect_object (msg, "network-event", G_CALLBACK (on_message_network_event), self, 0);
  if (self->client_cert != NULL)
    set_client_certificate (msg, self->client_cert);
  return msg;
}

/* Token from tokenFile, re-read when the file changed (kubelets and
 * projected service account volumes rotate it in place). */
static const char *
ph_cluster_get_file_token (PhCluster  *self,
                           GError    **error)
{
  struct stat st;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  if (stat (self->token_file, &st) != 0)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "Context \"%s\": tokenFile \"%s\" of user \"%s\" cannot be read: %s",
                   self->context_name, self->token_file, self->user_name, g_strerror (errno));
      return NULL;
    }

  if (self->file_token != NULL &&
      st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000 == self->file_token_mtime &&
      st.st_size == self->file_token_size)
    return self->file_token;

  if (!g_file_get_contents (self->token_file, &contents, NULL, &local_error))
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "Context \"%s\": tokenFile \"%s\" of user \"%s\" cannot be read: %s",
                   self->context_name, self->token_file, self->user_name, local_error->message);
      return NULL;
    }
  g_strstrip (contents);
  if (contents[0] == '\0')
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "Context \"%s\": tokenFile \"%s\" of user \"%s\" is empty",
                   self->context_name, self->token_file, self->user_name);
      return NULL;
    }
  /* libsoup would drop such a header and send the request without it */
  if (!ph_kubeconfig_is_header_safe (contents))
    {
      memset (contents, 0, strlen (contents));
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "Context \"%s\": tokenFile \"%s\" of user \"%s\" holds more than one line or "
                   "control characters; it must hold the token alone",
                   self->context_name, self->token_file, self->user_name);
      return NULL;
    }

  wipe_string (&self->file_token);
  self->file_token = g_steal_pointer (&contents);
  self->file_token_mtime = st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  self->file_token_size = st.st_size;
  return self->file_token;
}

static void
set_bearer (SoupMessage *msg,
            const char  *token)
{
  g_autofree char *value = g_strdup_printf ("Bearer %s", token);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  memset (value, 0, strlen (value));
}

/* Impersonation headers, as client-go sends them. */
static void
add_impersonation (PhCluster   *self,
                   SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  const char * const *groups = ph_context_get_impersonate_groups (self->context);
  const char * const *extra = ph_context_get_impersonate_extra (self->context);

  if (ph_context_get_impersonate (self->context) != NULL)
    soup_message_headers_replace (headers, "Impersonate-User", ph_context_get_impersonate (self->context));
  if (ph_context_get_impersonate_uid (self->context) != NULL)
    soup_message_headers_replace (headers, "Impersonate-Uid", ph_context_get_impersonate_uid (self->context));
  soup_message_headers_remove (headers, "Impersonate-Group");
  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    soup_message_headers_append (headers, "Impersonate-Group", groups[i]);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      const char *eq = strchr (extra[i], '=');
      g_autofree char *key = g_strndup (extra[i], eq - extra[i]);
      g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);
      g_autofree char *name = g_strdup_printf ("Impersonate-Extra-%s", escaped);

      soup_message_headers_append (headers, name, eq + 1);
    }
}

static gboolean
ph_cluster_authorize_sync (PhCluster    *self,
                           SoupMessage  *msg,
                           GError      **error)
{
  add_impersonation (self, msg);

  if (self->token != NULL)
    set_bearer (msg, self->token);
  else if (self->token_file != NULL)
    {
      const char *token = ph_cluster_get_file_token (self, error);

      if (token == NULL)
        return FALSE;
      set_bearer (msg, token);
    }
  else if (self->basic_auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", self->basic_auth);
  return TRUE;
}

static void
exec_credential_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autofree char *token = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  GError *error = NULL;

  if (!ph_exec_credential_get_finish (PH_EXEC_CREDENTIAL (object), result, &token, &cert, &error))
    {
      if (error->domain == PH_KUBE_ERROR)
        g_prefix_error (&error, "Context \"%s\": ", self->context_name);
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data (G_OBJECT (msg), "ph-exec-generation",
                     GUINT_TO_POINTER (ph_exec_credential_get_generation (PH_EXEC_CREDENTIAL (object))));

  if (token != NULL)
    {
      set_bearer (msg, token);
      wipe_string (&token);
      add_impersonation (self, msg);
    }
  else if (!ph_cluster_authorize_sync (self, msg, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (cert != NULL)
    set_client_certificate (msg, cert);

  g_task_return_boolean (task, TRUE);
}

void
ph_cluster_authorize_message_async (PhCluster           *self,
                                    SoupMessage         *msg,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (PH_IS_CLUSTER (self));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ph_cluster_authorize_message_async);
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);

  if (self->exec != NULL)
    {
      ph_exec_credential_get_async (self->exec, cancellable, exec_credential_cb, g_steal_pointer (&task));
      return;
    }

  if (!ph_cluster_authorize_sync (self, msg, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

gboolean
ph_cluster_authorize_message_finish (PhCluster     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
ph_cluster_invalidate_credentials (PhCluster *self)
{
  g_return_if_fail (PH_IS_CLUSTER (self));

  if (self->exec != NULL)
    ph_exec_credential_invalidate (self->exec);
  wipe_string (&self->file_token);
}

static gboolean
ph_cluster_can_refresh (PhCluster *self)
{
  return self->exec != NULL || self->token_file != NULL;
}

/* The message of a Kubernetes Status body, or a short excerpt of
 * whatever the server said. */
static char *
status_message_from_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  if (len == 0)
    return NULL;

  if (json_parser_load_from_data (parser, data, len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *obj = json_node_get_object (json_parser_get_root (parser));
      const char *message = json_object_get_string_member_with_default (obj, "message", NULL);

      if (message != NULL && message[0] != '\0')
        return g_strdup (message);
    }

  if (g_utf8_validate (data, MIN (len, 300), NULL))
    {
      g_autofree char *text = g_strndup (data, MIN (len, 300));
      return g_strstrip (g_steal_pointer (&text));
    }
  return NULL;
}

static GError *
ph_cluster_http_error (PhCluster   *self,
                       SoupMessage *msg,
                       GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  const char *reason = soup_message_get_reason_phrase (msg);
  g_autofree char *message = status_message_from_body (body);
  PhKubeError code = ph_kube_error_from_http_status (status);
  GUri *uri = soup_message_get_uri (msg);

  if (reason == NULL || reason[0] == '\0')
    reason = soup_status_get_phrase (status);
  if (message == NULL)
    message = g_strdup (reason ? reason : "no details");

  switch (code)
    {
    case PH_KUBE_ERROR_UNAUTHORIZED:
      return g_error_new (PH_KUBE_ERROR, code,
                          "Context \"%s\": the server rejected the credentials of user \"%s\" (401 %s): %s. "
                          "Log in again or update the user's credentials in the kubeconfig",
                          self->context_name, self->user_name ? self->user_name : "", reason, message);
    case PH_KUBE_ERROR_FORBIDDEN:
      return g_error_new (PH_KUBE_ERROR, code,
                          "Context \"%s\": forbidden (403): %s. Ask the cluster's administrator for access",
                          self->context_name, message);
    default:
      return g_error_new (PH_KUBE_ERROR, code, "Context \"%s\": %s %s: %u %s: %s",
                          self->context_name, soup_message_get_method (msg), g_uri_get_path (uri),
                          status, reason ? reason : "", message);
    }
}

static GError *
ph_cluster_transport_error (PhCluster   *self,
                            SoupMessage *msg,
                            GError      *error,
                            gboolean     timed_out)
{
  g_autofree char *server = ph_cluster_dup_display_server (self);
  guint flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (msg), "ph-tls-flags"));
  gboolean cert_requested = g_object_get_data (G_OBJECT (msg), "ph-cert-requested") != NULL;
  gboolean has_cert = g_object_get_data (G_OBJECT (msg), "ph-has-client-cert") != NULL;

  if (timed_out)
    return g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_CONNECT,
                        "Context \"%s\": connecting to %s timed out after %u s. "
                        "Check that the cluster is running and reachable from here",
                        self->context_name, server, self->connect_timeout);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (flags != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_TLS,
                        "Context \"%s\": TLS failure talking to %s: %s. "
                        "Check certificate-authority, tls-server-name or the server address in the kubeconfig",
                        self->context_name, server, tls_flags_to_reason (flags));

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED) ||
      (cert_requested && !has_cert))
    {
      if (has_cert)
        return g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_TLS,
                            "Context \"%s\": TLS failure talking to %s: the server did not accept "
                            "the client certificate of user \"%s\"",
                            self->context_name, server, self->user_name ? self->user_name : "");
      return g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_TLS,
                          "Context \"%s\": TLS failure talking to %s: the server requires a client "
                          "certificate, and user \"%s\" has none",
                          self->context_name, server, self->user_name ? self->user_name : "");
    }

  if (error->domain == G_TLS_ERROR)
    return g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_TLS,
                        "Context \"%s\": TLS failure talking to %s: %s",
                        self->context_name, server, error->message);

  return g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_CONNECT,
                      "Context \"%s\": cannot reach %s: %s. "
                      "Check that the cluster is running and reachable from here",
                      self->context_name, server, error->message);
}

/* One request, through every attempt (a 401 with refreshable credentials
 * gives a second one). */

typedef enum {
  REQUEST_BODY,
  REQUEST_STREAM,
  REQUEST_WEBSOCKET,
} RequestKind;

typedef struct {
  RequestKind   kind;
  char         *accept;       /* NULL: application/json */
  char         *method;
  char         *path;
  GBytes       *body;
  char         *content_type;
  SoupMessage  *msg;
  gboolean      retried;
  guint         status;
  /* one per attempt, cancelled by the task's cancellable or our connect
   * timeout */
  GCancellable *attempt_cancellable;
  gulong        cancel_handler;
  GCancellable *task_cancellable;
  guint         connect_timeout_id;
  gboolean      timed_out;
  GBytes       *result_body;
} Request;

static void
request_stop_attempt (Request *req)
{
  g_clear_handle_id (&req->connect_timeout_id, g_source_remove);
  if (req->cancel_handler != 0)
    {
      g_cancellable_disconnect (req->task_cancellable, req->cancel_handler);
      req->cancel_handler = 0;
    }
}

static void
request_free (Request *req)
{
  request_stop_attempt (req);
  g_free (req->accept);
  g_free (req->method);
  g_free (req->path);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->content_type);
  if (req->msg != NULL)
    g_signal_handlers_disconnect_matched (req->msg, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, req);
  g_clear_object (&req->msg);
  g_clear_object (&req->attempt_cancellable);
  g_clear_object (&req->task_cancellable);
  g_clear_pointer (&req->result_body, g_bytes_unref);
  g_free (req);
}

static void ph_cluster_request_attempt (GTask *task);

static gboolean
connect_timeout_cb (gpointer user_data)
{
  Request *req = user_data;

  req->connect_timeout_id = 0;
  req->timed_out = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Request *req = user_data;

  if (event == G_SOCKET_CLIENT_RESOLVING && req->connect_timeout_id == 0 && !req->timed_out)
    {
      PhCluster *self = g_object_get_data (G_OBJECT (msg), "ph-cluster");
      guint seconds = self ? self->connect_timeout : DEFAULT_CONNECT_TIMEOUT_SECONDS;

      if (seconds > 0)
        req->connect_timeout_id = g_timeout_add_seconds (seconds, connect_timeout_cb, req);
    }
  else if (event == G_SOCKET_CLIENT_COMPLETE)
    g_clear_handle_id (&req->connect_timeout_id, g_source_remove);
}

static void
on_task_cancelled (GCancellable *cancellable,
                   gpointer      user_data)
{
  GCancellable *attempt = user_data;

  g_cancellable_cancel (attempt);
}

static gboolean
request_should_retry (PhCluster *self,
                      Request   *req,
                      guint      status)
{
  if (status != SOUP_STATUS_UNAUTHORIZED || req->retried || !ph_cluster_can_refresh (self))
    return FALSE;

  g_debug ("Context \"%s\": 401, refreshing credentials and retrying once", self->context_name);
  req->retried = TRUE;
  /* Many requests sent with one credential come back 401 one by one: the
   * first gets a new credential, the later ones use it. */
  if (self->exec != NULL)
    ph_exec_credential_invalidate_generation (self->exec,
                                              GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (req->msg),
                                                                                   "ph-exec-generation")));
  wipe_string (&self->file_token);
  return TRUE;
}

static void
error_body_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  g_input_stream_close_async (G_INPUT_STREAM (object), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  request_stop_attempt (req);
  g_task_return_error (task, ph_cluster_http_error (self, req->msg, body));
}

static void
send_and_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      request_stop_attempt (req);
      g_task_return_error (task, ph_cluster_transport_error (self, req->msg, error, req->timed_out));
      return;
    }

  status = soup_message_get_status (req->msg);
  req->status = status;
  if (request_should_retry (self, req, status))
    {
      ph_cluster_request_attempt (g_steal_pointer (&task));
      return;
    }

  request_stop_attempt (req);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, ph_cluster_http_error (self, req->msg, body));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

static void
send_stream_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      request_stop_attempt (req);
      g_task_return_error (task, ph_cluster_transport_error (self, req->msg, error, req->timed_out));
      return;
    }

  status = soup_message_get_status (req->msg);
  req->status = status;
  if (request_should_retry (self, req, status))
    {
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      ph_cluster_request_attempt (g_steal_pointer (&task));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_input_stream_read_bytes_async (stream, ERROR_BODY_MAX, G_PRIORITY_DEFAULT,
                                       req->attempt_cancellable, error_body_read_cb,
                                       g_steal_pointer (&task));
      return;
    }

  /* From here the caller owns the stream and cancels its reads itself;
   * our connect timer has already stopped. */
  request_stop_attempt (req);
  g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
}

static void
websocket_connect_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;
  guint status;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  status = soup_message_get_status (req->msg);
  req->status = status;

  if (conn == NULL)
    {
      if (request_should_retry (self, req, status))
        {
          ph_cluster_request_attempt (g_steal_pointer (&task));
          return;
        }
      request_stop_attempt (req);
      if (status >= 300 && status != SOUP_STATUS_SWITCHING_PROTOCOLS)
        {
          GBytes *body = NULL;
          g_task_return_error (task, ph_cluster_http_error (self, req->msg, body));
        }
      else
        g_task_return_error (task, ph_cluster_transport_error (self, req->msg, error, req->timed_out));
      return;
    }

  request_stop_attempt (req);
  /* A single watch event can be far bigger than libsoup's 128 KiB default. */
  soup_websocket_connection_set_max_incoming_payload_size (conn, WEBSOCKET_MAX_PAYLOAD);
  g_task_return_pointer (task, conn, g_object_unref);
}

static void
authorize_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = PH_CLUSTER (object);
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ph_cluster_authorize_message_finish (self, result, &error))
    {
      request_stop_attempt (req);
      g_task_return_error (task, error);
      return;
    }

  switch (req->kind)
    {
    case REQUEST_BODY:
      soup_session_send_and_read_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                                        req->attempt_cancellable, send_and_read_cb,
                                        g_steal_pointer (&task));
      break;

    case REQUEST_STREAM:
      soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT,
                               req->attempt_cancellable, send_stream_cb,
                               g_steal_pointer (&task));
      break;

    case REQUEST_WEBSOCKET:
      {
        g_autofree char *origin = g_strdup_printf ("%s://%s", g_uri_get_scheme (self->base_uri),
                                                   g_uri_get_host (self->base_uri));

        if (g_uri_get_port (self->base_uri) > 0)
          {
            char *with_port = g_strdup_printf ("%s:%d", origin, g_uri_get_port (self->base_uri));
            g_free (origin);
            origin = with_port;
          }
        soup_session_websocket_connect_async (self->session, req->msg, origin, NULL,
                                              G_PRIORITY_DEFAULT, req->attempt_cancellable,
                                              websocket_connect_cb, g_steal_pointer (&task));
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
ph_cluster_request_attempt (GTask *task)
{
  PhCluster *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);

  request_stop_attempt (req);
  if (req->msg != NULL)
    g_signal_handlers_disconnect_matched (req->msg, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, req);
  g_clear_object (&req->msg);
  g_clear_object (&req->attempt_cancellable);
  req->timed_out = FALSE;

  req->attempt_cancellable = g_cancellable_new ();
  if (req->task_cancellable != NULL)
    req->cancel_handler = g_cancellable_connect (req->task_cancellable, G_CALLBACK (on_task_cancelled),
                                                 g_object_ref (req->attempt_cancellable),
                                                 g_object_unref);

  req->msg = ph_cluster_new_message (self, req->method, req->path);
  if (req->accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (req->msg), "Accept", req->accept);
  g_object_set_data (G_OBJECT (req->msg), "ph-cluster", self);
  g_signal_connect (req->msg, "network-event", G_CALLBACK (on_network_event), req);
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->msg,
                                              req->content_type ? req->content_type : "application/json",
                                              req->body);

  ph_cluster_authorize_message_async (self, req->msg, req->attempt_cancellable, authorize_cb, task);
}

static GTask *
ph_cluster_start_request (PhCluster           *self,
                          RequestKind          kind,
                          const char          *method,
                          const char          *path_and_query,
                          GBytes              *body,
                          const char          *content_type,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  req->kind = kind;
  req->method = g_strdup (method);
  req->path = g_strdup (path_and_query);
  req->body = body ? g_bytes_ref (body) : NULL;
  req->content_type = g_strdup (content_type);
  req->task_cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  return task;
}

void
ph_cluster_request_async (PhCluster           *self,
                          const char          *method,
                          const char          *path_and_query,
                          GBytes              *body,
                          const char          *content_type,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (PH_IS_CLUSTER (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path_and_query != NULL);

  ph_cluster_request_attempt (ph_cluster_start_request (self, REQUEST_BODY, method, path_and_query,
                                                        body, content_type, cancellable, callback,
                                                        user_data, ph_cluster_request_async));
}

GBytes *
ph_cluster_request_finish (PhCluster     *self,
                           GAsyncResult  *result,
                           guint         *out_status,
                           GError       **error)
{
  Request *req;

  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  req = g_task_get_task_data (G_TASK (result));
  if (out_status != NULL)
    *out_status = req->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ph_cluster_open_stream_async (PhCluster           *self,
                              const char          *path_and_query,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PH_IS_CLUSTER (self));
  g_return_if_fail (path_and_query != NULL);

  ph_cluster_request_attempt (ph_cluster_start_request (self, REQUEST_STREAM, "GET", path_and_query,
                                                        NULL, NULL, cancellable, callback,
                                                        user_data, ph_cluster_open_stream_async));
}

GInputStream *
ph_cluster_open_stream_finish (PhCluster     *self,
                               GAsyncResult  *result,
                               guint         *out_status,
                               GError       **error)
{
  Request *req;

  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  req = g_task_get_task_data (G_TASK (result));
  if (out_status != NULL)
    *out_status = req->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ph_cluster_websocket_connect_async (PhCluster           *self,
                                    const char          *path_and_query,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PH_IS_CLUSTER (self));
  g_return_if_fail (path_and_query != NULL);

  ph_cluster_request_attempt (ph_cluster_start_request (self, REQUEST_WEBSOCKET, "GET", path_and_query,
                                                        NULL, NULL, cancellable, callback,
                                                        user_data, ph_cluster_websocket_connect_async));
}

SoupWebsocketConnection *
ph_cluster_websocket_connect_finish (PhCluster     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Discovery: /api, /api/v1, /apis and each group's preferred version. */

/* What a caller of ph_cluster_discover_async waits with. */
typedef struct {
  guint    generation;      /* the discovery_generation it asked in */
  GSource *cancel_source;
} DiscoverWaiter;

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static void
discover_waiter_free (DiscoverWaiter *waiter)
{
  g_clear_pointer (&waiter->cancel_source, destroy_source);
  g_free (waiter);
}

typedef struct {
  GPtrArray *core;       /* PhResourceInfo */
  GPtrArray *groups;     /* GPtrArray of PhResourceInfo, one per group, in /apis order */
  guint      pending;
  guint      generation; /* the cluster's discovery_generation at the start */
  GError    *error;
} Discovery;

static void
free_group_list (gpointer list)
{
  if (list != NULL)
    g_ptr_array_unref (list);
}

static void
discovery_free (Discovery *d)
{
  g_clear_pointer (&d->core, g_ptr_array_unref);
  g_clear_pointer (&d->groups, g_ptr_array_unref);
  g_clear_error (&d->error);
  g_free (d);
}

static char **
json_string_array (JsonObject *obj,
                   const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (obj, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *el = json_array_get_element (array, i);
          if (JSON_NODE_HOLDS_VALUE (el) && json_node_get_value_type (el) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (el));
        }
    }
  return g_strv_builder_end (builder);
}

static JsonObject *
parse_object (GBytes  *body,
              JsonParser *parser)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

/* @res is one resource of either discovery format; both name shortNames
 * and verbs alike. */
static PhResourceInfo *
resource_info_new (const char *group,
                   const char *version,
                   const char *resource,
                   const char *kind,
                   const char *singular,
                   JsonObject *res,
                   gboolean    namespaced)
{
  PhResourceInfo *info = g_new0 (PhResourceInfo, 1);

  g_atomic_ref_count_init (&info->ref_count);
  info->group = g_strdup (group);
  info->version = g_strdup (version);
  info->resource = g_strdup (resource);
  info->kind = g_strdup (kind);
  /* old servers leave the singular name empty; kubectl derives it from the kind */
  info->singular = singular[0] ? g_strdup (singular) : g_ascii_strdown (kind, -1);
  info->short_names = json_string_array (res, "shortNames");
  info->verbs = json_string_array (res, "verbs");
  info->namespaced = namespaced;
  return info;
}

/* An APIResourceList into PhResourceInfo, skipping subresources. */
static GPtrArray *
parse_resource_list (GBytes     *body,
                     const char *group,
                     const char *version)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_resource_info_unref);
  JsonObject *root = parse_object (body, parser);
  JsonArray *resources;

  if (root == NULL || !json_object_has_member (root, "resources") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "resources")))
    return NULL;

  resources = json_object_get_array_member (root, "resources");
  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonNode *node = json_array_get_element (resources, i);
      JsonObject *res;
      const char *name, *kind, *singular;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      res = json_node_get_object (node);
      name = json_object_get_string_member_with_default (res, "name", NULL);
      kind = json_object_get_string_member_with_default (res, "kind", "");
      if (name == NULL || name[0] == '\0' || strchr (name, '/') != NULL)
        continue;
      singular = json_object_get_string_member_with_default (res, "singularName", "");
      g_ptr_array_add (infos, resource_info_new (group, version, name, kind, singular, res,
                                                 json_object_get_boolean_member_with_default (res, "namespaced", FALSE)));
    }
  return g_steal_pointer (&infos);
}

/* Aggregated discovery (apidiscovery.k8s.io v2, and v2beta1 of 1.26-1.29):
 * all groups, versions and resources in the answer to /api and /apis, so
 * discovery costs two requests instead of two plus one per group. */
#define AGGREGATED_ACCEPT \
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," \
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList," \
  "application/json"

static gboolean
is_aggregated (JsonObject *root)
{
  return g_strcmp0 (json_object_get_string_member_with_default (root, "kind", NULL),
                    "APIGroupDiscoveryList") == 0;
}

/* One APIGroupDiscovery: the resources of its preferred (first) version. */
static GPtrArray *
parse_group_discovery (JsonObject *item)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_resource_info_unref);
  JsonObject *metadata = NULL;
  JsonObject *version_obj;
  JsonArray *versions, *resources;
  const char *group = "";
  const char *version;

  if (json_object_has_member (item, "metadata") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (item, "metadata")))
    metadata = json_object_get_object_member (item, "metadata");
  if (metadata != NULL)
    group = json_object_get_string_member_with_default (metadata, "name", "");

  if (!json_object_has_member (item, "versions") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (item, "versions")))
    return NULL;
  versions = json_object_get_array_member (item, "versions");
  if (json_array_get_length (versions) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (versions, 0)))
    return NULL;
  version_obj = json_array_get_object_element (versions, 0);
  version = json_object_get_string_member_with_default (version_obj, "version", NULL);
  if (version == NULL || !json_object_has_member (version_obj, "resources") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (version_obj, "resources")))
    return NULL;

  resources = json_object_get_array_member (version_obj, "resources");
  for (guint i = 0; i < json_array_get_length (resources); i++)
    {
      JsonNode *node = json_array_get_element (resources, i);
      JsonObject *res, *response_kind = NULL;
      const char *name, *kind = "", *singular;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      res = json_node_get_object (node);
      name = json_object_get_string_member_with_default (res, "resource", NULL);
      if (name == NULL || name[0] == '\0' || strchr (name, '/') != NULL)
        continue;
      if (json_object_has_member (res, "responseKind") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (res, "responseKind")))
        response_kind = json_object_get_object_member (res, "responseKind");
      if (response_kind != NULL)
        kind = json_object_get_string_member_with_default (response_kind, "kind", "");
      singular = json_object_get_string_member_with_default (res, "singularResource", "");
      g_ptr_array_add (infos, resource_info_new (group, version, name, kind, singular, res,
                                                 g_strcmp0 (json_object_get_string_member_with_default (res, "scope", ""),
                                                            "Namespaced") == 0));
    }
  return g_steal_pointer (&infos);
}

/* Every group of an APIGroupDiscoveryList, in its order (the server's
 * order of preference), each as one list. */
static GPtrArray *
parse_discovery_list (JsonObject *root)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (free_group_list);
  JsonArray *items;

  if (!json_object_has_member (root, "items") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "items")))
    return NULL;
  items = json_object_get_array_member (root, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      GPtrArray *list;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      list = parse_group_discovery (json_node_get_object (node));
      if (list != NULL)
        g_ptr_array_add (groups, list);
    }
  return g_steal_pointer (&groups);
}

static void
discovery_finish (PhCluster *self,
                  Discovery *d)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->discover_waiters);
  g_autoptr(GPtrArray) answered = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) result = NULL;

  /* Whoever asked after an invalidation wants a discovery that started
   * after it: those wait for the next run. */
  self->discover_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->discovering = FALSE;
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      DiscoverWaiter *waiter = g_task_get_task_data (task);

      if (waiter->generation <= d->generation)
        g_ptr_array_add (answered, g_object_ref (task));
      else
        g_ptr_array_add (self->discover_waiters, g_object_ref (task));
    }

  if (d->error == NULL)
    {
      result = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_resource_info_unref);
      for (guint i = 0; i < d->core->len; i++)
        g_ptr_array_add (result, ph_resource_info_ref (g_ptr_array_index (d->core, i)));
      for (guint g = 0; g < d->groups->len; g++)
        {
          GPtrArray *list = g_ptr_array_index (d->groups, g);
          for (guint i = 0; list != NULL && i < list->len; i++)
            g_ptr_array_add (result, ph_resource_info_ref (g_ptr_array_index (list, i)));
        }
      if (d->generation == self->discovery_generation)
        {
          g_clear_pointer (&self->resources, g_ptr_array_unref);
          self->resources = g_ptr_array_ref (result);
        }
    }

  if (self->discover_waiters->len > 0)
    ph_cluster_discover_run (self);

  /* Callbacks may run right here and invalidate or rediscover: only
   * locals from now on. */
  for (guint i = 0; i < answered->len; i++)
    {
      GTask *task = g_ptr_array_index (answered, i);
      DiscoverWaiter *waiter = g_task_get_task_data (task);

      g_clear_pointer (&waiter->cancel_source, destroy_source);
      if (d->error != NULL)
        g_task_return_error (task, g_error_copy (d->error));
      else
        g_task_return_pointer (task, g_ptr_array_ref (result), (GDestroyNotify) g_ptr_array_unref);
    }
  discovery_free (d);
}

typedef struct {
  PhCluster *self;
  Discovery *d;
  guint      group_index;  /* G_MAXUINT: core */
  char      *group;
  char      *version;
} DiscoveryStep;

static void
discovery_step_done (DiscoveryStep *step)
{
  PhCluster *self = step->self;
  Discovery *d = step->d;

  g_free (step->group);
  g_free (step->version);
  g_free (step);

  if (--d->pending == 0)
    discovery_finish (self, d);
  g_object_unref (self);
}

static void
resource_list_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DiscoveryStep *step = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = ph_cluster_request_finish (PH_CLUSTER (object), result, NULL, &error);
  GPtrArray *list = NULL;

  if (body != NULL)
    list = parse_resource_list (body, step->group, step->version);

  if (step->group_index == G_MAXUINT)
    {
      if (list == NULL && step->d->error == NULL)
        step->d->error = error ? g_steal_pointer (&error)
                               : g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                                              "Context \"%s\": /api/%s is not an APIResourceList",
                                              step->self->context_name, step->version);
      else if (list != NULL)
        g_ptr_array_extend_and_steal (step->d->core, list);
    }
  else if (list != NULL)
    {
      g_ptr_array_index (step->d->groups, step->group_index) = list;
    }
  else
    /* An aggregated API that is down must not hide the others. */
    g_debug ("Context \"%s\": discovery of %s/%s failed: %s", step->self->context_name,
             step->group, step->version, error ? error->message : "not an APIResourceList");

  discovery_step_done (step);
}

static void
discovery_fetch (PhCluster  *self,
                 Discovery  *d,
                 guint       group_index,
                 const char *group,
                 const char *version)
{
  DiscoveryStep *step = g_new0 (DiscoveryStep, 1);
  g_autofree char *path = NULL;

  step->self = g_object_ref (self);
  step->d = d;
  step->group_index = group_index;
  step->group = g_strdup (group);
  step->version = g_strdup (version);
  d->pending++;

  if (group[0] == '\0')
    path = g_strdup_printf ("/api/%s", version);
  else
    path = g_strdup_printf ("/apis/%s/%s", group, version);
  ph_cluster_request_async (self, "GET", path, NULL, NULL, NULL, resource_list_cb, step);
}

static void
api_versions_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DiscoveryStep *step = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = ph_cluster_request_finish (PH_CLUSTER (object), result, NULL, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = body ? parse_object (body, parser) : NULL;
  g_auto(GStrv) versions = NULL;

  if (root != NULL && is_aggregated (root))
    {
      g_autoptr(GPtrArray) lists = parse_discovery_list (root);

      if (lists != NULL && lists->len > 0)
        g_ptr_array_extend_and_steal (step->d->core,
                                      g_ptr_array_ref (g_ptr_array_index (lists, 0)));
      else if (step->d->error == NULL)
        step->d->error = g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                                      "Context \"%s\": /api lists no versions",
                                      step->self->context_name);
      discovery_step_done (step);
      return;
    }

  versions = root ? json_string_array (root, "versions") : NULL;
  if (versions == NULL || versions[0] == NULL)
    {
      if (step->d->error == NULL)
        step->d->error = error ? g_steal_pointer (&error)
                               : g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                                              "Context \"%s\": /api lists no versions",
                                              step->self->context_name);
    }
  else
    discovery_fetch (step->self, step->d, G_MAXUINT, "", versions[0]);

  discovery_step_done (step);
}

static void
api_groups_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DiscoveryStep *step = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = ph_cluster_request_finish (PH_CLUSTER (object), result, NULL, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = body ? parse_object (body, parser) : NULL;
  JsonArray *groups;

  if (root != NULL && is_aggregated (root))
    {
      g_autoptr(GPtrArray) lists = parse_discovery_list (root);

      if (lists == NULL && step->d->error == NULL)
        step->d->error = g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                                      "Context \"%s\": /apis is not an APIGroupDiscoveryList",
                                      step->self->context_name);
      for (guint i = 0; lists != NULL && i < lists->len; i++)
        g_ptr_array_add (step->d->groups, g_ptr_array_ref (g_ptr_array_index (lists, i)));
      discovery_step_done (step);
      return;
    }

  if (root == NULL || !json_object_has_member (root, "groups") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "groups")))
    {
      if (step->d->error == NULL)
        step->d->error = error ? g_steal_pointer (&error)
                               : g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                                              "Context \"%s\": /apis is not an APIGroupList",
                                              step->self->context_name);
      discovery_step_done (step);
      return;
    }

  groups = json_object_get_array_member (root, "groups");
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonNode *node = json_array_get_element (groups, i);
      JsonObject *group, *preferred = NULL;
      const char *name, *version = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      group = json_node_get_object (node);
      name = json_object_get_string_member_with_default (group, "name", NULL);
      if (name == NULL)
        continue;
      if (json_object_has_member (group, "preferredVersion") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (group, "preferredVersion")))
        preferred = json_object_get_object_member (group, "preferredVersion");
      if (preferred != NULL)
        version = json_object_get_string_member_with_default (preferred, "version", NULL);
      if (version == NULL && json_object_has_member (group, "versions") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (group, "versions")))
        {
          JsonArray *versions = json_object_get_array_member (group, "versions");
          if (json_array_get_length (versions) > 0 &&
              JSON_NODE_HOLDS_OBJECT (json_array_get_element (versions, 0)))
            version = json_object_get_string_member_with_default (
              json_node_get_object (json_array_get_element (versions, 0)), "version", NULL);
        }
      if (version == NULL)
        continue;

      g_ptr_array_add (step->d->groups, NULL);
      discovery_fetch (step->self, step->d, step->d->groups->len - 1, name, version);
    }

  discovery_step_done (step);
}

static void
ph_cluster_discovery_request (PhCluster           *self,
                              const char          *path,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = ph_cluster_start_request (self, REQUEST_BODY, "GET", path, NULL, NULL, NULL,
                                          callback, user_data, ph_cluster_request_async);
  Request *req = g_task_get_task_data (task);

  req->accept = g_strdup (AGGREGATED_ACCEPT);
  ph_cluster_request_attempt (task);
}

static void
ph_cluster_discover_run (PhCluster *self)
{
  Discovery *d = g_new0 (Discovery, 1);
  DiscoveryStep *core = g_new0 (DiscoveryStep, 1);
  DiscoveryStep *groups = g_new0 (DiscoveryStep, 1);

  d->core = g_ptr_array_new_with_free_func ((GDestroyNotify) ph_resource_info_unref);
  d->groups = g_ptr_array_new_with_free_func (free_group_list);
  d->pending = 2;
  d->generation = self->discovery_generation;
  self->discovering = TRUE;

  core->self = g_object_ref (self);
  core->d = d;
  groups->self = g_object_ref (self);
  groups->d = d;

  ph_cluster_discovery_request (self, "/api", api_versions_cb, core);
  ph_cluster_discovery_request (self, "/apis", api_groups_cb, groups);
}

static gboolean
on_discover_cancelled (GCancellable *cancellable,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  PhCluster *self = g_task_get_source_object (task);
  DiscoverWaiter *waiter = g_task_get_task_data (task);

  /* the source is being dispatched: only forget it */
  g_clear_pointer (&waiter->cancel_source, g_source_unref);
  g_ptr_array_remove (self->discover_waiters, task);
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

void
ph_cluster_discover_async (PhCluster           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DiscoverWaiter *waiter;

  g_return_if_fail (PH_IS_CLUSTER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ph_cluster_discover_async);

  if (self->resources != NULL)
    {
      g_task_return_pointer (task, g_ptr_array_ref (self->resources), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  waiter = g_new0 (DiscoverWaiter, 1);
  waiter->generation = self->discovery_generation;
  /* A server that never answers must not hold up a caller that gave up
   * (a closed window): answer it now, let the discovery go on. */
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (on_discover_cancelled), task, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (task));
    }
  g_task_set_task_data (task, waiter, (GDestroyNotify) discover_waiter_free);

  g_ptr_array_add (self->discover_waiters, g_steal_pointer (&task));
  if (!self->discovering)
    ph_cluster_discover_run (self);
}

GPtrArray *
ph_cluster_discover_finish (PhCluster     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ph_cluster_invalidate_discovery (PhCluster *self)
{
  g_return_if_fail (PH_IS_CLUSTER (self));
  g_clear_pointer (&self->resources, g_ptr_array_unref);
  g_hash_table_remove_all (self->versioned);
  self->discovery_generation++;
}

/* kubectl's order of preference: plural, singular, short name, kind. */
static int
match_rank (PhResourceInfo *info,
            const char     *name)
{
  if (g_ascii_strcasecmp (info->resource, name) == 0)
    return 1;
  if (info->singular != NULL && g_ascii_strcasecmp (info->singular, name) == 0)
    return 2;
  for (guint i = 0; info->short_names != NULL && info->short_names[i] != NULL; i++)
    if (g_ascii_strcasecmp (info->short_names[i], name) == 0)
      return 3;
  if (info->kind != NULL && g_ascii_strcasecmp (info->kind, name) == 0)
    return 4;
  return 0;
}

static PhResourceInfo *
resolve_exact (GPtrArray  *resources,
               const char *name)
{
  PhResourceInfo *best = NULL;
  int best_rank = G_MAXINT;

  for (guint i = 0; resources != NULL && i < resources->len; i++)
    {
      PhResourceInfo *info = g_ptr_array_index (resources, i);
      int rank = match_rank (info, name);

      if (rank > 0 && rank < best_rank)
        {
          best = info;
          best_rank = rank;
        }
    }
  return best;
}

static PhResourceInfo *
resolve_in (GPtrArray  *resources,
            const char *name)
{
  const char *dot = strchr (name, '.');
  PhResourceInfo *best = resolve_exact (resources, name);
  int best_rank = G_MAXINT;

  if (best != NULL || dot == NULL)
    return best;

  /* "resource.group" or "resource.version.group" */
  {
    g_autofree char *res = g_strndup (name, dot - name);
    const char *rest = dot + 1;

    for (guint i = 0; i < resources->len; i++)
      {
        PhResourceInfo *info = g_ptr_array_index (resources, i);
        g_autofree char *version_group = g_strdup_printf ("%s.%s", info->version, info->group);
        int rank;

        if (g_ascii_strcasecmp (info->group, rest) != 0 &&
            g_ascii_strcasecmp (version_group, rest) != 0)
          continue;
        rank = match_rank (info, res);
        if (rank > 0 && rank < best_rank)
          {
            best = info;
            best_rank = rank;
          }
      }
  }
  return best;
}

/* "v1", "v2beta1", "v1alpha3": what an API version looks like, so that
 * "widgets.v1alpha1.demo.porthole.io" reads as resource.version.group. */
static gboolean
is_api_version (const char *s,
                gsize       len)
{
  gsize i = 1;

  if (len < 2 || s[0] != 'v' || !g_ascii_isdigit (s[1]))
    return FALSE;
  while (i < len && g_ascii_isdigit (s[i]))
    i++;
  if (i == len)
    return TRUE;
  if (len - i > 5 && strncmp (s + i, "alpha", 5) == 0)
    i += 5;
  else if (len - i > 4 && strncmp (s + i, "beta", 4) == 0)
    i += 4;
  else
    return FALSE;
  while (i < len && g_ascii_isdigit (s[i]))
    i++;
  return i == len;
}

/* Splits "resource.version.group" as kubectl does; FALSE for anything
 * else. */
static gboolean
split_versioned_name (const char  *name,
                      char       **resource,
                      char       **version,
                      char       **group)
{
  const char *first = strchr (name, '.');
  const char *second = first ? strchr (first + 1, '.') : NULL;

  if (first == NULL || second == NULL || first == name || second[1] == '\0' ||
      !is_api_version (first + 1, second - first - 1))
    return FALSE;
  *resource = g_strndup (name, first - name);
  *version = g_strndup (first + 1, second - first - 1);
  *group = g_strdup (second + 1);
  return TRUE;
}

typedef struct {
  char     *name;
  gboolean  fresh;   /* discovery ran for this call */
  /* set for "resource.version.group" names */
  char     *resource;
  char     *version;
  char     *group;
} Resolve;

static void
resolve_free (Resolve *r)
{
  g_free (r->name);
  g_free (r->resource);
  g_free (r->version);
  g_free (r->group);
  g_free (r);
}

static void
resolve_not_found (GTask *task)
{
  PhCluster *self = g_task_get_source_object (task);
  Resolve *r = g_task_get_task_data (task);

  g_task_return_new_error (task, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND,
                           "Context \"%s\": the server doesn't have a resource type \"%s\"",
                           self->context_name, r->name);
}

static void
resolve_version_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = PH_CLUSTER (object);
  Resolve *r = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) list = NULL;
  PhResourceInfo *info;
  guint status = 0;

  body = ph_cluster_request_finish (self, result, &status, &error);
  if (body == NULL)
    {
      /* 404: the group does not serve that version */
      if (g_error_matches (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NOT_FOUND))
        resolve_not_found (task);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  list = parse_resource_list (body, r->group, r->version);
  if (list == NULL)
    {
      g_task_return_new_error (task, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                               "Context \"%s\": /apis/%s/%s is not an APIResourceList",
                               self->context_name, r->group, r->version);
      return;
    }
  g_hash_table_replace (self->versioned, g_strdup_printf ("%s/%s", r->group, r->version),
                        g_ptr_array_ref (list));

  info = resolve_exact (list, r->resource);
  if (info == NULL)
    {
      resolve_not_found (task);
      return;
    }
  g_task_return_pointer (task, ph_resource_info_ref (info), (GDestroyNotify) ph_resource_info_unref);
}

/* Discovery keeps each group's preferred version only; a name that asks
 * for another version is looked up in that version's own resource list
 * (one request, then cached with the discovery). */
static void
resolve_versioned (GTask *task)
{
  PhCluster *self = g_task_get_source_object (task);
  Resolve *r = g_task_get_task_data (task);
  g_autofree char *key = g_strdup_printf ("%s/%s", r->group, r->version);
  g_autofree char *path = NULL;
  GPtrArray *list = g_hash_table_lookup (self->versioned, key);

  if (list != NULL)
    {
      PhResourceInfo *info = resolve_exact (list, r->resource);

      if (info == NULL)
        resolve_not_found (task);
      else
        g_task_return_pointer (task, ph_resource_info_ref (info), (GDestroyNotify) ph_resource_info_unref);
      g_object_unref (task);
      return;
    }

  path = g_strdup_printf ("/apis/%s/%s", r->group, r->version);
  ph_cluster_request_async (self, "GET", path, NULL, NULL, g_task_get_cancellable (task),
                            resolve_version_cb, task);
}

static void
resolve_discover_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhCluster *self = PH_CLUSTER (object);
  Resolve *r = g_task_get_task_data (task);
  g_autoptr(GPtrArray) resources = NULL;
  GError *error = NULL;
  PhResourceInfo *info;

  resources = ph_cluster_discover_finish (self, result, &error);
  if (resources == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  info = resolve_in (resources, r->name);
  if (info != NULL)
    {
      g_task_return_pointer (task, ph_resource_info_ref (info), (GDestroyNotify) ph_resource_info_unref);
      return;
    }

  if (r->resource != NULL)
    {
      resolve_versioned (g_steal_pointer (&task));
      return;
    }

  /* A cached discovery may predate a CRD created since: look again once. */
  if (!r->fresh)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      r->fresh = TRUE;
      ph_cluster_invalidate_discovery (self);
      ph_cluster_discover_async (self, cancellable, resolve_discover_cb, g_steal_pointer (&task));
      return;
    }

  resolve_not_found (task);
}

void
ph_cluster_resolve_resource_async (PhCluster           *self,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Resolve *r;

  g_return_if_fail (PH_IS_CLUSTER (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ph_cluster_resolve_resource_async);
  r = g_new0 (Resolve, 1);
  r->name = g_strdup (name);
  r->fresh = self->resources == NULL;
  split_versioned_name (name, &r->resource, &r->version, &r->group);
  g_task_set_task_data (task, r, (GDestroyNotify) resolve_free);

  ph_cluster_discover_async (self, cancellable, resolve_discover_cb, g_steal_pointer (&task));
}

PhResourceInfo *
ph_cluster_resolve_resource_finish (PhCluster     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (PH_IS_CLUSTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
