/* ph-exec-credential.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "ph-exec-credential.h"
#include "ph-kube-error.h"

/* Most of a plugin's stderr is noise; the end says what went wrong. */
#define STDERR_KEEP 2000

struct _PhExecCredential
{
  GObject          parent_instance;

  char            *context_name;
  PhExecConfig    *config;
  char            *exec_info;    /* KUBERNETES_EXEC_INFO */

  char            *token;
  GTlsCertificate *certificate;
  GDateTime       *expiration;   /* NULL: until invalidated */
  gboolean         valid;
  guint            generation;   /* bumped with every new credential */

  char            *share_key;    /* in shared_credentials while alive */
  GPtrArray       *waiters;      /* GTask, while a run is in flight */
  gboolean         running;
  GCancellable    *cancellable;  /* cancelled on dispose */
  guint            n_runs;
  gboolean         sandboxed;    /* run through flatpak-spawn --host */
};

G_DEFINE_FINAL_TYPE (PhExecCredential, ph_exec_credential, G_TYPE_OBJECT)

/* Contexts with the same plugin configuration and cluster get the same
 * credential, like client-go's cache: one login, not one per window or
 * per context.  Main thread only. */
static GHashTable *shared_credentials;

static void
ph_exec_credential_dispose (GObject *object)
{
  PhExecCredential *self = (PhExecCredential *) object;

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (ph_exec_credential_parent_class)->dispose (object);
}

static void
ph_exec_credential_finalize (GObject *object)
{
  PhExecCredential *self = (PhExecCredential *) object;

  if (self->share_key != NULL && shared_credentials != NULL &&
      g_hash_table_lookup (shared_credentials, self->share_key) == self)
    g_hash_table_remove (shared_credentials, self->share_key);
  g_free (self->share_key);
  g_free (self->context_name);
  g_clear_pointer (&self->config, ph_exec_config_unref);
  g_free (self->exec_info);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->expiration, g_date_time_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ph_exec_credential_parent_class)->finalize (object);
}

static void
ph_exec_credential_class_init (PhExecCredentialClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ph_exec_credential_dispose;
  object_class->finalize = ph_exec_credential_finalize;
}

static void
ph_exec_credential_init (PhExecCredential *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->sandboxed = g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static char *
build_exec_info (PhContext    *context,
                 PhExecConfig *config)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, config->api_version);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "ExecCredential");
  json_builder_set_member_name (builder, "spec");
  json_builder_begin_object (builder);

  if (config->provide_cluster_info)
    {
      GBytes *ca = ph_context_get_certificate_authority_data (context);
      const char *ext = ph_context_get_exec_extension_json (context);

      json_builder_set_member_name (builder, "cluster");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "server");
      json_builder_add_string_value (builder, ph_context_get_server (context));
      if (ph_context_get_tls_server_name (context) != NULL)
        {
          json_builder_set_member_name (builder, "tls-server-name");
          json_builder_add_string_value (builder, ph_context_get_tls_server_name (context));
        }
      if (ph_context_get_insecure_skip_tls_verify (context))
        {
          json_builder_set_member_name (builder, "insecure-skip-tls-verify");
          json_builder_add_boolean_value (builder, TRUE);
        }
      if (ca != NULL)
        {
          g_autofree char *b64 = g_base64_encode (g_bytes_get_data (ca, NULL), g_bytes_get_size (ca));
          json_builder_set_member_name (builder, "certificate-authority-data");
          json_builder_add_string_value (builder, b64);
        }
      if (ph_context_get_proxy_url (context) != NULL)
        {
          json_builder_set_member_name (builder, "proxy-url");
          json_builder_add_string_value (builder, ph_context_get_proxy_url (context));
        }
      if (ext != NULL)
        {
          JsonNode *node = json_from_string (ext, NULL);
          if (node != NULL)
            {
              json_builder_set_member_name (builder, "config");
              json_builder_add_value (builder, node);
            }
        }
      json_builder_end_object (builder);
    }

  /* Porthole never hands its terminal to a plugin (the GUI has none). */
  json_builder_set_member_name (builder, "interactive");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
build_share_key (PhExecConfig *config,
                 const char   *exec_info)
{
  g_autoptr(GString) key = g_string_new (config->api_version);

  g_string_append_printf (key, "\n%s\n%u", config->command, config->interactive_mode);
  for (guint i = 0; config->args[i] != NULL; i++)
    g_string_append_printf (key, "\na:%s", config->args[i]);
  for (guint i = 0; config->env[i] != NULL; i++)
    g_string_append_printf (key, "\ne:%s", config->env[i]);
  /* the cluster, when the plugin is told about it */
  g_string_append_printf (key, "\n%s", exec_info);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key->str, key->len);
}

PhExecCredential *
ph_exec_credential_new (PhContext *context)
{
  PhExecCredential *self;
  PhExecConfig *config;

  g_return_val_if_fail (PH_IS_CONTEXT (context), NULL);
  config = ph_context_get_exec (context);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (PH_TYPE_EXEC_CREDENTIAL, NULL);
  self->context_name = g_strdup (ph_context_get_name (context));
  self->config = ph_exec_config_ref (config);
  self->exec_info = build_exec_info (context, config);
  return self;
}

PhExecCredential *
ph_exec_credential_get_shared (PhContext *context)
{
  PhExecCredential *self;
  g_autofree char *exec_info = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (PH_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ph_context_get_exec (context) != NULL, NULL);

  exec_info = build_exec_info (context, ph_context_get_exec (context));
  key = build_share_key (ph_context_get_exec (context), exec_info);

  if (shared_credentials == NULL)
    shared_credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self = g_hash_table_lookup (shared_credentials, key);
  if (self != NULL)
    return g_object_ref (self);

  self = ph_exec_credential_new (context);
  self->share_key = g_strdup (key);
  g_hash_table_insert (shared_credentials, g_steal_pointer (&key), self);
  return self;
}

void
ph_exec_credential_set_sandboxed (PhExecCredential *self,
                                  gboolean          sandboxed)
{
  g_return_if_fail (PH_IS_EXEC_CREDENTIAL (self));
  self->sandboxed = !!sandboxed;
}

guint
ph_exec_credential_get_n_runs (PhExecCredential *self)
{
  g_return_val_if_fail (PH_IS_EXEC_CREDENTIAL (self), 0);
  return self->n_runs;
}

void
ph_exec_credential_invalidate (PhExecCredential *self)
{
  g_return_if_fail (PH_IS_EXEC_CREDENTIAL (self));
  self->valid = FALSE;
}

guint
ph_exec_credential_get_generation (PhExecCredential *self)
{
  g_return_val_if_fail (PH_IS_EXEC_CREDENTIAL (self), 0);
  return self->generation;
}

void
ph_exec_credential_invalidate_generation (PhExecCredential *self,
                                          guint             generation)
{
  g_return_if_fail (PH_IS_EXEC_CREDENTIAL (self));

  if (generation == self->generation)
    self->valid = FALSE;
}

static gboolean
ph_exec_credential_is_fresh (PhExecCredential *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (!self->valid)
    return FALSE;
  if (self->expiration == NULL)
    return TRUE;
  now = g_date_time_new_now_utc ();
  return g_date_time_compare (now, self->expiration) < 0;
}

static void
complete_waiters (PhExecCredential *self,
                  const GError     *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      /* drops the task's cancellation source */
      g_task_set_task_data (task, NULL, NULL);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static char *
tail_of_stderr (const char *text)
{
  g_autofree char *stripped = NULL;
  gsize len;

  if (text == NULL)
    return g_strdup ("");
  stripped = g_strstrip (g_strdup (text));
  len = strlen (stripped);
  if (len > STDERR_KEEP)
    {
      const char *start = g_utf8_find_next_char (stripped + len - STDERR_KEEP, NULL);
      return g_strdup_printf ("…%s", start ? start : "");
    }
  return g_steal_pointer (&stripped);
}

static gboolean
parse_credential (PhExecCredential  *self,
                  const char        *stdout_text,
                  GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GDateTime) expiration = NULL;
  JsonObject *root, *status;
  const char *api_version, *kind, *token, *cert_data, *key_data, *expiry;

  /* The output holds secrets: never quote it in an error. */
  if (stdout_text == NULL || !json_parser_load_from_data (parser, stdout_text, -1, &parse_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                   "exec plugin \"%s\" did not print an ExecCredential JSON object",
                   self->config->command);
      return FALSE;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  api_version = json_object_get_string_member_with_default (root, "apiVersion", "");
  kind = json_object_get_string_member_with_default (root, "kind", "");
  if (strcmp (kind, "ExecCredential") != 0 || strcmp (api_version, self->config->api_version) != 0)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                   "exec plugin \"%s\" printed kind \"%s\" of \"%s\", expected ExecCredential of \"%s\"",
                   self->config->command, kind, api_version,
                   self->config->api_version);
      return FALSE;
    }

  status = json_object_has_member (root, "status") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "status"))
           ? json_object_get_object_member (root, "status") : NULL;
  if (status == NULL)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                   "exec plugin \"%s\" printed an ExecCredential without status",
                   self->config->command);
      return FALSE;
    }

  token = json_object_get_string_member_with_default (status, "token", NULL);
  cert_data = json_object_get_string_member_with_default (status, "clientCertificateData", NULL);
  key_data = json_object_get_string_member_with_default (status, "clientKeyData", NULL);
  expiry = json_object_get_string_member_with_default (status, "expirationTimestamp", NULL);

  if ((cert_data == NULL) != (key_data == NULL))
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                   "exec plugin \"%s\" printed %s without %s",
                   self->config->command,
                   cert_data ? "clientCertificateData" : "clientKeyData",
                   cert_data ? "clientKeyData" : "clientCertificateData");
      return FALSE;
    }
  if ((token == NULL || token[0] == '\0') && cert_data == NULL)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                   "exec plugin \"%s\" printed neither a token nor a client certificate",
                   self->config->command);
      return FALSE;
    }
  if (token != NULL && !ph_kubeconfig_is_header_safe (token))
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                   "exec plugin \"%s\" printed a token with line breaks or control characters",
                   self->config->command);
      return FALSE;
    }
  if (cert_data != NULL)
    {
      g_autofree char *pem = g_strdup_printf ("%s\n%s", cert_data, key_data);
      g_autoptr(GError) cert_error = NULL;

      certificate = g_tls_certificate_new_from_pem (pem, -1, &cert_error);
      if (pem != NULL)
        memset (pem, 0, strlen (pem));
      if (certificate == NULL)
        {
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                       "exec plugin \"%s\" printed an unusable client certificate: %s",
                       self->config->command, cert_error->message);
          return FALSE;
        }
    }
  if (expiry != NULL && expiry[0] != '\0')
    {
      expiration = g_date_time_new_from_iso8601 (expiry, NULL);
      if (expiration == NULL)
        {
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                       "exec plugin \"%s\" printed an invalid expirationTimestamp \"%s\"",
                       self->config->command, expiry);
          return FALSE;
        }
    }

  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = (token != NULL && token[0] != '\0') ? g_strdup (token) : NULL;
  g_set_object (&self->certificate, certificate);
  g_clear_pointer (&self->expiration, g_date_time_unref);
  self->expiration = g_steal_pointer (&expiration);
  self->valid = TRUE;
  self->generation++;
  return TRUE;
}

/* Whether the plugin never ran because its command is missing: shells and
 * env say so with status 127; flatpak-spawn exits with 1 after "Portal call
 * failed:" when the host could not start the command. */
static gboolean
plugin_not_started (PhExecCredential *self,
                    GSubprocess      *proc,
                    const char       *err)
{
  int status;

  if (!g_subprocess_get_if_exited (proc))
    return FALSE;
  status = g_subprocess_get_exit_status (proc);
  if (status == 127)
    return TRUE;
  return self->sandboxed && status == 1 && err != NULL &&
         g_str_has_prefix (err, "Portal call failed:");
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GSubprocess *proc = G_SUBPROCESS (object);
  g_autoptr(PhExecCredential) self = user_data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (proc, result, &out, &err, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(GError) wrapped =
            g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                         "reading the output of exec plugin \"%s\" failed: %s",
                         self->config->command, error->message);
          complete_waiters (self, wrapped);
        }
      else
        complete_waiters (self, error);
      return;
    }

  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    {
      g_autofree char *tail = tail_of_stderr (err);
      g_autofree char *how = NULL;

      if (g_subprocess_get_if_exited (proc))
        how = g_strdup_printf ("exit code %d", g_subprocess_get_exit_status (proc));
      else
        how = g_strdup_printf ("signal %d", g_subprocess_get_term_sig (proc));

      if (plugin_not_started (self, proc, err) && self->config->install_hint != NULL)
        g_set_error (&error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                     "exec plugin \"%s\" could not be run (%s): %s%s%s",
                     self->config->command, how,
                     self->config->install_hint, tail[0] ? "\n" : "", tail);
      else
        g_set_error (&error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                     "exec plugin \"%s\" failed with %s%s%s",
                     self->config->command, how,
                     tail[0] ? ": " : "", tail);
      complete_waiters (self, error);
      return;
    }

  if (!parse_credential (self, out, &error))
    {
      complete_waiters (self, error);
      return;
    }

  complete_waiters (self, NULL);
  if (out != NULL)
    memset (out, 0, strlen (out));
}

GStrv
ph_exec_credential_dup_argv (PhExecCredential *self,
                             gboolean          for_flatpak)
{
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();

  g_return_val_if_fail (PH_IS_EXEC_CREDENTIAL (self), NULL);

  if (for_flatpak)
    {
      /* The sandbox's environment does not reach the host command. */
      g_autofree char *info = g_strdup_printf ("--env=KUBERNETES_EXEC_INFO=%s", self->exec_info);

      g_strv_builder_add_many (argv, "flatpak-spawn", "--host", "--watch-bus", NULL);
      for (guint i = 0; self->config->env[i] != NULL; i++)
        {
          g_autofree char *var = g_strdup_printf ("--env=%s", self->config->env[i]);
          g_strv_builder_add (argv, var);
        }
      g_strv_builder_add (argv, info);
    }
  g_strv_builder_add (argv, self->config->command);
  g_strv_builder_addv (argv, (const char **) self->config->args);
  return g_strv_builder_end (argv);
}

static void
ph_exec_credential_run (PhExecCredential *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  gboolean in_flatpak = self->sandboxed;

  self->running = TRUE;

  if (self->config->interactive_mode == PH_EXEC_INTERACTIVE_ALWAYS)
    {
      g_set_error (&error, PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                   "exec plugin \"%s\" has interactiveMode Always, but Porthole cannot "
                   "give it a terminal; log in with it in a terminal first or set interactiveMode to IfAvailable",
                   self->config->command);
      complete_waiters (self, error);
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (!in_flatpak)
    {
      for (guint i = 0; self->config->env[i] != NULL; i++)
        {
          const char *eq = strchr (self->config->env[i], '=');
          g_autofree char *name = g_strndup (self->config->env[i], eq - self->config->env[i]);
          g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
        }
      g_subprocess_launcher_setenv (launcher, "KUBERNETES_EXEC_INFO", self->exec_info, TRUE);
    }
  argv = ph_exec_credential_dup_argv (self, in_flatpak);

  self->n_runs++;
  g_debug ("Context \"%s\": running exec plugin \"%s\"", self->context_name, self->config->command);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  if (proc == NULL)
    {
      g_autoptr(GError) wrapped = NULL;

      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        wrapped = g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                               "exec plugin \"%s\" not found: %s",
                               self->config->command,
                               self->config->install_hint != NULL
                               ? self->config->install_hint
                               : "install it or fix users[].user.exec.command in the kubeconfig");
      else
        wrapped = g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_EXEC,
                               "exec plugin \"%s\" could not be started: %s",
                               self->config->command, error->message);
      complete_waiters (self, wrapped);
      return;
    }

  g_subprocess_communicate_utf8_async (proc, NULL, self->cancellable, communicate_cb,
                                       g_object_ref (self));
}

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  PhExecCredential *self = g_task_get_source_object (task);

  g_ptr_array_remove (self->waiters, task);
  g_task_set_task_data (task, NULL, NULL);
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

void
ph_exec_credential_get_async (PhExecCredential    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PH_IS_EXEC_CREDENTIAL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ph_exec_credential_get_async);

  if (ph_exec_credential_is_fresh (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* A login can take minutes: a caller that gives up is answered now,
   * while the plugin finishes for whoever asks next. */
  if (cancellable != NULL)
    {
      GSource *source = g_cancellable_source_new (cancellable);

      g_source_set_callback (source, G_SOURCE_FUNC (on_waiter_cancelled), task, NULL);
      g_source_attach (source, g_task_get_context (task));
      g_task_set_task_data (task, source, (GDestroyNotify) destroy_source);
    }

  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  if (!self->running)
    ph_exec_credential_run (self);
}

gboolean
ph_exec_credential_get_finish (PhExecCredential  *self,
                               GAsyncResult      *result,
                               char             **token,
                               GTlsCertificate  **certificate,
                               GError           **error)
{
  g_return_val_if_fail (PH_IS_EXEC_CREDENTIAL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  if (token != NULL)
    *token = g_strdup (self->token);
  if (certificate != NULL)
    *certificate = self->certificate ? g_object_ref (self->certificate) : NULL;
  return TRUE;
}
