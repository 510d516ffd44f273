/* ph-kubeconfig.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <yaml.h>

#include "ph-kube-error.h"
#include "ph-kubeconfig.h"

/* What a broken entry or file gets besides its message.  @file is the
 * canonical path of the file with the error. */
typedef struct {
  PhKubeconfigProblem code;
  char               *file;
  guint               line;
  char               *field;
} Problem;

static void
problem_clear (Problem *problem)
{
  problem->code = PH_KUBECONFIG_PROBLEM_NONE;
  problem->line = 0;
  g_clear_pointer (&problem->file, g_free);
  g_clear_pointer (&problem->field, g_free);
}

static void
problem_copy (Problem       *dest,
              const Problem *src)
{
  problem_clear (dest);
  dest->code = src->code;
  dest->file = g_strdup (src->file);
  dest->line = src->line;
  dest->field = g_strdup (src->field);
}

static void
problem_free (Problem *problem)
{
  problem_clear (problem);
  g_free (problem);
}

/* Entries as one file declares them, before merging.  Paths are already
 * absolute and *-data already decoded; an entry whose fields are wrong
 * keeps its name (so that it still wins the merge, like kubectl) and
 * carries the error that disables it. */

typedef struct {
  char    *name;
  char    *file;
  GError  *error;
  Problem  problem;
  char    *server;
  char    *ca_path;
  GBytes  *ca_data;
  gboolean insecure;
  char    *tls_server_name;
  char    *proxy_url;
  char    *exec_extension_json;
} ClusterEntry;

typedef struct {
  char    *name;
  char    *file;
  GError  *error;
  Problem  problem;
  char    *cert_path;
  GBytes  *cert_data;
  char    *key_path;
  GBytes  *key_data;
  char    *token;
  char    *token_file;
  char    *username;
  char    *password;
  gboolean auth_provider;
  gboolean exec_declared;   /* even when broken, the kind of auth is exec */
  PhExecConfig *exec;
  char    *impersonate;
  char    *impersonate_uid;
  GStrv    impersonate_groups;
  GStrv    impersonate_extra;  /* "key=value", a key once per value */
} UserEntry;

typedef struct {
  char    *name;
  char    *file;
  guint    line;
  guint    cluster_line;
  guint    user_line;
  guint    index;
  GError  *error;
  Problem  problem;
  char    *cluster;
  char    *user;
  char    *namespace_;
} ContextEntry;

struct _PhContext
{
  GObject       parent_instance;

  /* shared with the kubeconfig, so a context outlives it safely */
  ContextEntry *context;
  ClusterEntry *cluster;   /* nullable */
  UserEntry    *user;      /* nullable */
  GError       *error;
  Problem       problem;
  const char   *auth_kind;
  gboolean      is_current;
};

struct _PhKubeconfig
{
  GObject     parent_instance;

  GStrv       files;
  GPtrArray  *file_errors;
  GPtrArray  *file_problems;   /* Problem*, one per file error */
  char       *current_context;
  /* name → entry, first file wins */
  GHashTable *clusters;
  GHashTable *users;
  GHashTable *contexts;
  /* every parsed entry, owned here (the hash tables only point) */
  GPtrArray  *all_clusters;
  GPtrArray  *all_users;
  GPtrArray  *all_contexts;
  GPtrArray  *cluster_order;
  GPtrArray  *user_order;
  GListStore *context_list;
  GHashTable *context_by_name;   /* name → PhContext in context_list */
};

G_DEFINE_FINAL_TYPE (PhKubeconfig, ph_kubeconfig, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (PhContext, ph_context, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (PhExecConfig, ph_exec_config, ph_exec_config_ref, ph_exec_config_unref)

G_DEFINE_ENUM_TYPE (PhKubeconfigProblem, ph_kubeconfig_problem,
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_NONE, "none"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_SYNTAX, "syntax"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_UNREADABLE, "unreadable"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_FILE_NOT_FOUND, "file-not-found"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_MISSING_REFERENCE, "missing-reference"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_MISSING_FIELD, "missing-field"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_INVALID_VALUE, "invalid-value"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_INVALID_CERTIFICATE, "invalid-certificate"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_UNKNOWN_FIELD, "unknown-field"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_CONFLICT, "conflict"),
  G_DEFINE_ENUM_VALUE (PH_KUBECONFIG_PROBLEM_UNSUPPORTED, "unsupported"))

PhExecConfig *
ph_exec_config_ref (PhExecConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  g_atomic_ref_count_inc (&config->ref_count);
  return config;
}

void
ph_exec_config_unref (PhExecConfig *config)
{
  g_return_if_fail (config != NULL);

  if (g_atomic_ref_count_dec (&config->ref_count))
    {
      g_free (config->api_version);
      g_free (config->command);
      g_strfreev (config->args);
      g_strfreev (config->env);
      g_free (config->install_hint);
      g_free (config);
    }
}

static void
cluster_entry_clear (ClusterEntry *entry)
{
  g_free (entry->name);
  g_free (entry->file);
  g_clear_error (&entry->error);
  problem_clear (&entry->problem);
  g_free (entry->server);
  g_free (entry->ca_path);
  g_clear_pointer (&entry->ca_data, g_bytes_unref);
  g_free (entry->tls_server_name);
  g_free (entry->proxy_url);
  g_free (entry->exec_extension_json);
}

static void
cluster_entry_unref (ClusterEntry *entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify) cluster_entry_clear);
}

static void
user_entry_clear (UserEntry *entry)
{
  g_free (entry->name);
  g_free (entry->file);
  g_clear_error (&entry->error);
  problem_clear (&entry->problem);
  g_free (entry->cert_path);
  g_clear_pointer (&entry->cert_data, g_bytes_unref);
  g_free (entry->key_path);
  g_clear_pointer (&entry->key_data, g_bytes_unref);
  g_free (entry->token);
  g_free (entry->token_file);
  g_free (entry->username);
  g_free (entry->password);
  g_clear_pointer (&entry->exec, ph_exec_config_unref);
  g_free (entry->impersonate);
  g_free (entry->impersonate_uid);
  g_strfreev (entry->impersonate_groups);
  g_strfreev (entry->impersonate_extra);
}

static void
user_entry_unref (UserEntry *entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify) user_entry_clear);
}

static void
context_entry_clear (ContextEntry *entry)
{
  g_free (entry->name);
  g_free (entry->file);
  g_clear_error (&entry->error);
  problem_clear (&entry->problem);
  g_free (entry->cluster);
  g_free (entry->user);
  g_free (entry->namespace_);
}

static void
context_entry_unref (ContextEntry *entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify) context_entry_clear);
}

static char *yaml_node_to_json (yaml_document_t *doc,
                                yaml_node_t     *node);

/* YAML helpers on libyaml's document API, which keeps the marks (line,
 * column) of every node for error messages. */

typedef struct {
  yaml_document_t *doc;
  const char      *file;
  char            *dir;
  /* Where the structure of the next error goes: the entry being parsed
   * (errors are set on that entry's GError alone, first one wins). */
  Problem         *problem;
} Parse;

static guint
node_line (yaml_node_t *node)
{
  return node ? (guint) node->start_mark.line + 1 : 0;
}

/* Sets "FILE:LINE: FIELD: WHAT" and its structure in p->problem. */
static G_GNUC_PRINTF (6, 7) void
set_field_error (GError              **error,
                 Parse                *p,
                 yaml_node_t          *node,
                 PhKubeconfigProblem   code,
                 const char           *field,
                 const char           *format,
                 ...)
{
  va_list args;
  g_autofree char *what = NULL;

  if (error == NULL || *error != NULL)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
               "%s:%u: %s: %s", p->file, node_line (node), field, what);

  if (p->problem != NULL)
    {
      problem_clear (p->problem);
      p->problem->code = code;
      p->problem->file = g_strdup (p->file);
      p->problem->line = node_line (node);
      p->problem->field = g_strdup (field);
    }
}

/* Formats a field path into @buf, for set_field_error. */
static G_GNUC_PRINTF (3, 4) const char *
field_path (char       *buf,
            gsize       size,
            const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  g_vsnprintf (buf, size, format, args);
  va_end (args);
  return buf;
}

static gboolean
scalar_is_null (yaml_node_t *node)
{
  const char *v;

  if (node->type != YAML_SCALAR_NODE)
    return FALSE;
  if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
    return FALSE;
  v = (const char *) node->data.scalar.value;
  return v[0] == '\0' || strcmp (v, "~") == 0 || g_ascii_strcasecmp (v, "null") == 0;
}

static const char *
scalar_value (yaml_node_t *node)
{
  if (node == NULL || node->type != YAML_SCALAR_NODE)
    return NULL;
  return (const char *) node->data.scalar.value;
}

/* Runs the statements after the names for each key/value pair of a
 * mapping; @pair_var must be unique among nested uses. */
#define FOR_EACH_PAIR(p, map, pair_var, key_var, value_var, ...)                      \
  for (yaml_node_pair_t *pair_var = (map)->data.mapping.pairs.start;                 \
       pair_var < (map)->data.mapping.pairs.top; pair_var++)                         \
    {                                                                                \
      yaml_node_t *key_var = yaml_document_get_node ((p)->doc, pair_var->key);       \
      yaml_node_t *value_var = yaml_document_get_node ((p)->doc, pair_var->value);   \
      __VA_ARGS__                                                                    \
    }

static gboolean
get_string (Parse        *p,
            yaml_node_t  *value,
            const char   *field,
            char        **out,
            GError      **error)
{
  if (scalar_is_null (value))
    return TRUE;
  if (value->type != YAML_SCALAR_NODE)
    {
      set_field_error (error, p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "expected a string");
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (scalar_value (value));
  return TRUE;
}

static gboolean
get_bool (Parse        *p,
          yaml_node_t  *value,
          const char   *field,
          gboolean     *out,
          GError      **error)
{
  const char *v;

  if (scalar_is_null (value))
    return TRUE;
  v = scalar_value (value);
  if (v != NULL && value->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    {
      /* sigs.k8s.io/yaml reads YAML 1.1, where yes/no/on/off are booleans too */
      if (g_ascii_strcasecmp (v, "true") == 0 || g_ascii_strcasecmp (v, "yes") == 0 ||
          g_ascii_strcasecmp (v, "on") == 0 || g_ascii_strcasecmp (v, "y") == 0)
        {
          *out = TRUE;
          return TRUE;
        }
      if (g_ascii_strcasecmp (v, "false") == 0 || g_ascii_strcasecmp (v, "no") == 0 ||
          g_ascii_strcasecmp (v, "off") == 0 || g_ascii_strcasecmp (v, "n") == 0)
        {
          *out = FALSE;
          return TRUE;
        }
    }
  set_field_error (error, p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "expected true or false");
  return FALSE;
}

static char *
resolve_path (Parse      *p,
              const char *path)
{
  if (path == NULL || path[0] == '\0')
    return NULL;
  return g_canonicalize_filename (path, p->dir);
}

/* Strict standard base64 as Go's encoding/json decodes []byte, except that
 * line breaks (from YAML folding) are tolerated. */
static GBytes *
decode_base64 (const char *text)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  gsize len;
  guchar *data;

  for (const char *c = text; *c; c++)
    {
      if (*c == '\n' || *c == '\r' || *c == ' ' || *c == '\t')
        continue;
      if (!g_ascii_isalnum (*c) && *c != '+' && *c != '/' && *c != '=')
        return NULL;
      g_string_append_c (clean, *c);
    }
  if (clean->len % 4 != 0)
    return NULL;
  for (gsize i = 0; i < clean->len; i++)
    if (clean->str[i] == '=' && i < clean->len - 2)
      return NULL;
    else if (clean->str[i] == '=' && i == clean->len - 2 && clean->str[i + 1] != '=')
      return NULL;

  data = g_base64_decode (clean->str, &len);
  return g_bytes_new_take (data, len);
}

static gboolean
get_base64 (Parse        *p,
            yaml_node_t  *value,
            const char   *field,
            GBytes      **out,
            GError      **error)
{
  g_autofree char *text = NULL;
  GBytes *bytes;

  if (!get_string (p, value, field, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  bytes = decode_base64 (text);
  if (bytes == NULL)
    {
      set_field_error (error, p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "invalid base64 data");
      return FALSE;
    }
  g_clear_pointer (out, g_bytes_unref);
  *out = bytes;
  return TRUE;
}

static GBytes *
read_file_for_field (Parse       *p,
                     yaml_node_t *node,
                     const char  *field,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_FILE_NOT_FOUND, field,
                         "file \"%s\" not found", path);
      else
        set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_UNREADABLE, field, "cannot read \"%s\": %s", path,
                         local_error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, len);
}

static gboolean
check_pem_certificates (Parse       *p,
                        yaml_node_t *node,
                        const char  *field,
                        GBytes      *pem,
                        GError     **error)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) local_error = NULL;

  cert = g_tls_certificate_new_from_pem (text, -1, &local_error);
  if (cert == NULL)
    {
      set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_INVALID_CERTIFICATE, field, "not a PEM certificate: %s",
                       local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* clusters[i].cluster */
/* The common head of an entry of clusters, users or contexts: a mapping
 * with a "name" and a body under @body_key.  FALSE (with @error set) when
 * the entry has no name to file it under. */
static gboolean
parse_named_item (Parse        *p,
                  yaml_node_t  *item,
                  const char   *list,
                  const char   *body_key,
                  guint         index,
                  char        **out_name,
                  yaml_node_t **out_body,
                  GError      **error)
{
  char field[128];

  if (item->type != YAML_MAPPING_NODE)
    {
      set_field_error (error, p, item, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                       field_path (field, sizeof field, "%s[%u]", list, index),
                       "expected a mapping");
      return FALSE;
    }

  FOR_EACH_PAIR (p, item, pair, key, value, {
    const char *k = scalar_value (key);
    if (g_strcmp0 (k, "name") == 0)
      {
        g_snprintf (field, sizeof field, "%s[%u].name", list, index);
        get_string (p, value, field, out_name, error);
      }
    else if (g_strcmp0 (k, body_key) == 0)
      *out_body = value;
  });

  if (*out_name == NULL)
    {
      set_field_error (error, p, item, PH_KUBECONFIG_PROBLEM_MISSING_FIELD,
                       field_path (field, sizeof field, "%s[%u].name", list, index),
                       "missing");
      return FALSE;
    }
  return TRUE;
}

static ClusterEntry *
parse_cluster (Parse       *p,
               yaml_node_t *item,
               guint        index)
{
  ClusterEntry *entry = g_rc_box_new0 (ClusterEntry);
  yaml_node_t *body = NULL;
  yaml_node_t *ca_node = NULL;
  yaml_node_t *ca_data_node = NULL;
  g_autofree char *ca_rel = NULL;
  GError **error = &entry->error;
  char field[128];

  entry->file = g_strdup (p->file);
  p->problem = &entry->problem;

  if (!parse_named_item (p, item, "clusters", "cluster", index, &entry->name, &body, error))
    return entry;
  if (body == NULL || scalar_is_null (body) || body->type != YAML_MAPPING_NODE)
    {
      PhKubeconfigProblem code = body == NULL || scalar_is_null (body) ? PH_KUBECONFIG_PROBLEM_MISSING_FIELD
                                                                       : PH_KUBECONFIG_PROBLEM_INVALID_VALUE;

      set_field_error (error, p, body ? body : item, code,
                       field_path (field, sizeof field, "clusters[%u].cluster", index), "missing or not a mapping");
      return entry;
    }

  FOR_EACH_PAIR (p, body, pair2, key, value, {
    const char *k = scalar_value (key);
    g_snprintf (field, sizeof field, "clusters[%u].cluster.%s", index, k ? k : "?");
    if (g_strcmp0 (k, "server") == 0)
      get_string (p, value, field, &entry->server, error);
    else if (g_strcmp0 (k, "certificate-authority") == 0)
      {
        ca_node = value;
        get_string (p, value, field, &ca_rel, error);
      }
    else if (g_strcmp0 (k, "certificate-authority-data") == 0)
      {
        ca_data_node = value;
        get_base64 (p, value, field, &entry->ca_data, error);
      }
    else if (g_strcmp0 (k, "insecure-skip-tls-verify") == 0)
      get_bool (p, value, field, &entry->insecure, error);
    else if (g_strcmp0 (k, "tls-server-name") == 0)
      get_string (p, value, field, &entry->tls_server_name, error);
    else if (g_strcmp0 (k, "proxy-url") == 0)
      get_string (p, value, field, &entry->proxy_url, error);
    else if (g_strcmp0 (k, "disable-compression") == 0)
      {
        gboolean ignored = FALSE;
        get_bool (p, value, field, &ignored, error);
      }
    else if (g_strcmp0 (k, "extensions") == 0)
      {
        /* Only the exec plugin's cluster config is used (provideClusterInfo). */
        if (value->type == YAML_SEQUENCE_NODE)
          for (yaml_node_item_t *it = value->data.sequence.items.start;
               it < value->data.sequence.items.top; it++)
            {
              yaml_node_t *ext = yaml_document_get_node (p->doc, *it);
              yaml_node_t *ext_name = NULL, *ext_value = NULL;

              if (ext->type != YAML_MAPPING_NODE)
                continue;
              FOR_EACH_PAIR (p, ext, pair3, ek, ev, {
                if (g_strcmp0 (scalar_value (ek), "name") == 0)
                  ext_name = ev;
                else if (g_strcmp0 (scalar_value (ek), "extension") == 0)
                  ext_value = ev;
              });
              if (ext_value != NULL &&
                  g_strcmp0 (scalar_value (ext_name), "client.authentication.k8s.io/exec") == 0)
                {
                  g_free (entry->exec_extension_json);
                  entry->exec_extension_json = yaml_node_to_json (p->doc, ext_value);
                }
            }
      }
    else
      g_debug ("%s:%u: ignoring unknown field %s", p->file, node_line (key), field);
  });

  if (*error != NULL)
    return entry;

  if (entry->server == NULL || entry->server[0] == '\0')
    {
      set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_MISSING_FIELD,
                       field_path (field, sizeof field, "clusters[%u].cluster.server", index),
                       "missing");
      return entry;
    }
  else
    {
      g_autoptr(GUri) uri = g_uri_parse (entry->server, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL ||
          (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
           g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
        {
          set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                           field_path (field, sizeof field, "clusters[%u].cluster.server", index),
                           "\"%s\" is not an http(s) URL", entry->server);
          return entry;
        }
    }

  if (entry->proxy_url != NULL && entry->proxy_url[0] != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (entry->proxy_url, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL)
        {
          set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                           field_path (field, sizeof field, "clusters[%u].cluster.proxy-url", index),
                           "\"%s\" is not a URL", entry->proxy_url);
          return entry;
        }
    }

  if (ca_rel != NULL && ca_rel[0] != '\0')
    {
      entry->ca_path = resolve_path (p, ca_rel);
      /* certificate-authority-data takes precedence, as in client-go */
      if (entry->ca_data == NULL)
        {
          g_snprintf (field, sizeof field, "clusters[%u].cluster.certificate-authority", index);
          entry->ca_data = read_file_for_field (p, ca_node, field, entry->ca_path, error);
          if (entry->ca_data != NULL)
            check_pem_certificates (p, ca_node, field, entry->ca_data, error);
        }
    }
  if (ca_data_node != NULL && entry->ca_data != NULL && *error == NULL)
    {
      g_snprintf (field, sizeof field, "clusters[%u].cluster.certificate-authority-data", index);
      check_pem_certificates (p, ca_data_node, field, entry->ca_data, error);
    }
  if (entry->insecure && entry->ca_data != NULL && *error == NULL)
    set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_CONFLICT,
                     field_path (field, sizeof field, "clusters[%u].cluster.insecure-skip-tls-verify", index),
                     "cannot be combined with a certificate authority");

  return entry;
}

static gboolean
parse_exec (Parse         *p,
            yaml_node_t   *node,
            guint          index,
            PhExecConfig **out,
            GError       **error)
{
  g_autoptr(PhExecConfig) exec = g_new0 (PhExecConfig, 1);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *interactive = NULL;
  char field[128];

  g_atomic_ref_count_init (&exec->ref_count);

  if (node->type != YAML_MAPPING_NODE)
    {
      set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                       field_path (field, sizeof field, "users[%u].user.exec", index),
                       "expected a mapping");
      return FALSE;
    }

  FOR_EACH_PAIR (p, node, pair4, key, value, {
    const char *k = scalar_value (key);
    g_snprintf (field, sizeof field, "users[%u].user.exec.%s", index, k ? k : "?");
    if (g_strcmp0 (k, "command") == 0)
      get_string (p, value, field, &exec->command, error);
    else if (g_strcmp0 (k, "apiVersion") == 0)
      get_string (p, value, field, &exec->api_version, error);
    else if (g_strcmp0 (k, "installHint") == 0)
      get_string (p, value, field, &exec->install_hint, error);
    else if (g_strcmp0 (k, "provideClusterInfo") == 0)
      get_bool (p, value, field, &exec->provide_cluster_info, error);
    else if (g_strcmp0 (k, "interactiveMode") == 0)
      get_string (p, value, field, &interactive, error);
    else if (g_strcmp0 (k, "args") == 0)
      {
        if (scalar_is_null (value))
          ;
        else if (value->type != YAML_SEQUENCE_NODE)
          set_field_error (error, p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "expected a list");
        else
          for (yaml_node_item_t *it = value->data.sequence.items.start;
               it < value->data.sequence.items.top; it++)
            {
              yaml_node_t *arg = yaml_document_get_node (p->doc, *it);
              if (arg->type != YAML_SCALAR_NODE)
                set_field_error (error, p, arg, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "expected strings");
              else
                g_ptr_array_add (args, g_strdup (scalar_value (arg)));
            }
      }
    else if (g_strcmp0 (k, "env") == 0)
      {
        if (scalar_is_null (value))
          ;
        else if (value->type != YAML_SEQUENCE_NODE)
          set_field_error (error, p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "expected a list");
        else
          for (yaml_node_item_t *it = value->data.sequence.items.start;
               it < value->data.sequence.items.top; it++)
            {
              yaml_node_t *var = yaml_document_get_node (p->doc, *it);
              g_autofree char *name = NULL;
              g_autofree char *val = NULL;

              if (var->type != YAML_MAPPING_NODE)
                {
                  set_field_error (error, p, var, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                                   field, "expected name/value mappings");
                  continue;
                }
              FOR_EACH_PAIR (p, var, pair5, vk, vv, {
                if (g_strcmp0 (scalar_value (vk), "name") == 0)
                  get_string (p, vv, field, &name, error);
                else if (g_strcmp0 (scalar_value (vk), "value") == 0)
                  get_string (p, vv, field, &val, error);
              });
              if (name == NULL || name[0] == '\0' || strchr (name, '=') != NULL)
                set_field_error (error, p, var, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "invalid variable name");
              else
                g_ptr_array_add (env, g_strdup_printf ("%s=%s", name, val ? val : ""));
            }
      }
    else
      set_field_error (error, p, key, PH_KUBECONFIG_PROBLEM_UNKNOWN_FIELD, field, "unknown field");
  });

  if (error != NULL && *error != NULL)
    return FALSE;

  if (exec->command == NULL || exec->command[0] == '\0')
    {
      set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_MISSING_FIELD,
                       field_path (field, sizeof field, "users[%u].user.exec.command", index),
                       "missing");
      return FALSE;
    }
  if (exec->api_version == NULL || exec->api_version[0] == '\0')
    {
      set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_MISSING_FIELD,
                       field_path (field, sizeof field, "users[%u].user.exec.apiVersion", index),
                       "missing (use client.authentication.k8s.io/v1 or v1beta1)");
      return FALSE;
    }
  if (g_strcmp0 (exec->api_version, "client.authentication.k8s.io/v1") != 0 &&
      g_strcmp0 (exec->api_version, "client.authentication.k8s.io/v1beta1") != 0)
    {
      set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                       field_path (field, sizeof field, "users[%u].user.exec.apiVersion", index),
                       "\"%s\" is not supported (use client.authentication.k8s.io/v1 or v1beta1)",
                       exec->api_version ? exec->api_version : "");
      return FALSE;
    }

  if (interactive == NULL || interactive[0] == '\0')
    {
      /* v1 made the field required; v1beta1 defaults to IfAvailable */
      if (g_str_has_suffix (exec->api_version, "/v1"))
        {
          set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_MISSING_FIELD,
                           field_path (field, sizeof field, "users[%u].user.exec.interactiveMode", index),
                           "required with client.authentication.k8s.io/v1");
          return FALSE;
        }
      exec->interactive_mode = PH_EXEC_INTERACTIVE_IF_AVAILABLE;
    }
  else if (strcmp (interactive, "Never") == 0)
    exec->interactive_mode = PH_EXEC_INTERACTIVE_NEVER;
  else if (strcmp (interactive, "IfAvailable") == 0)
    exec->interactive_mode = PH_EXEC_INTERACTIVE_IF_AVAILABLE;
  else if (strcmp (interactive, "Always") == 0)
    exec->interactive_mode = PH_EXEC_INTERACTIVE_ALWAYS;
  else
    {
      set_field_error (error, p, node, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                       field_path (field, sizeof field, "users[%u].user.exec.interactiveMode", index),
                       "\"%s\" is not Never, IfAvailable or Always", interactive);
      return FALSE;
    }

  /* client-go resolves a command given as a path against the file, and
   * looks a bare name up in PATH */
  if (strchr (exec->command, '/') != NULL && !g_path_is_absolute (exec->command))
    {
      char *abs = resolve_path (p, exec->command);
      g_free (exec->command);
      exec->command = abs;
    }

  g_ptr_array_add (args, NULL);
  exec->args = (char **) g_ptr_array_steal (args, NULL);
  g_ptr_array_add (env, NULL);
  exec->env = (char **) g_ptr_array_steal (env, NULL);

  *out = g_steal_pointer (&exec);
  return TRUE;
}

static gboolean
strv_is_header_safe (const char * const *values)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (!ph_kubeconfig_is_header_safe (values[i]))
      return FALSE;
  return TRUE;
}

/* users[i].user */
static UserEntry *
parse_user (Parse       *p,
            yaml_node_t *item,
            guint        index)
{
  UserEntry *entry = g_rc_box_new0 (UserEntry);
  yaml_node_t *body = NULL;
  yaml_node_t *cert_node = NULL, *key_node = NULL, *token_file_node = NULL, *token_node = NULL;
  g_autofree char *cert_rel = NULL;
  g_autofree char *key_rel = NULL;
  g_autofree char *token_file_rel = NULL;
  GError **error = &entry->error;
  char field[128];

  entry->file = g_strdup (p->file);
  p->problem = &entry->problem;

  if (!parse_named_item (p, item, "users", "user", index, &entry->name, &body, error))
    return entry;
  /* "user: {}" and "user:" are both a user without credentials */
  if (body == NULL || scalar_is_null (body))
    return entry;
  if (body->type != YAML_MAPPING_NODE)
    {
      set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                       field_path (field, sizeof field, "users[%u].user", index),
                       "expected a mapping");
      return entry;
    }

  FOR_EACH_PAIR (p, body, pair7, key, value, {
    const char *k = scalar_value (key);
    g_snprintf (field, sizeof field, "users[%u].user.%s", index, k ? k : "?");
    if (g_strcmp0 (k, "client-certificate") == 0)
      {
        cert_node = value;
        get_string (p, value, field, &cert_rel, error);
      }
    else if (g_strcmp0 (k, "client-certificate-data") == 0)
      {
        cert_node = cert_node ? cert_node : value;
        get_base64 (p, value, field, &entry->cert_data, error);
      }
    else if (g_strcmp0 (k, "client-key") == 0)
      {
        key_node = value;
        get_string (p, value, field, &key_rel, error);
      }
    else if (g_strcmp0 (k, "client-key-data") == 0)
      {
        key_node = key_node ? key_node : value;
        get_base64 (p, value, field, &entry->key_data, error);
      }
    else if (g_strcmp0 (k, "token") == 0)
      {
        token_node = value;
        get_string (p, value, field, &entry->token, error);
      }
    else if (g_strcmp0 (k, "tokenFile") == 0)
      {
        token_file_node = value;
        get_string (p, value, field, &token_file_rel, error);
      }
    else if (g_strcmp0 (k, "username") == 0)
      get_string (p, value, field, &entry->username, error);
    else if (g_strcmp0 (k, "password") == 0)
      get_string (p, value, field, &entry->password, error);
    else if (g_strcmp0 (k, "exec") == 0)
      {
        if (!scalar_is_null (value))
          {
            entry->exec_declared = TRUE;
            parse_exec (p, value, index, &entry->exec, error);
          }
      }
    else if (g_strcmp0 (k, "auth-provider") == 0)
      {
        if (!scalar_is_null (value))
          entry->auth_provider = TRUE;
      }
    else if (g_strcmp0 (k, "extensions") == 0)
      ;
    else if (g_strcmp0 (k, "as") == 0)
      get_string (p, value, field, &entry->impersonate, error);
    else if (g_strcmp0 (k, "as-uid") == 0)
      get_string (p, value, field, &entry->impersonate_uid, error);
    else if (g_strcmp0 (k, "as-groups") == 0)
      {
        g_autoptr(GStrvBuilder) groups = g_strv_builder_new ();

        if (!scalar_is_null (value) && value->type != YAML_SEQUENCE_NODE)
          set_field_error (error, p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "expected a list");
        else if (!scalar_is_null (value))
          for (yaml_node_item_t *it = value->data.sequence.items.start;
               it < value->data.sequence.items.top; it++)
            {
              yaml_node_t *group = yaml_document_get_node (p->doc, *it);
              if (group->type != YAML_SCALAR_NODE)
                set_field_error (error, p, group, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, field, "expected strings");
              else
                g_strv_builder_add (groups, scalar_value (group));
            }
        g_strfreev (entry->impersonate_groups);
        entry->impersonate_groups = g_strv_builder_end (groups);
      }
    else if (g_strcmp0 (k, "as-user-extra") == 0)
      {
        g_autoptr(GStrvBuilder) extra = g_strv_builder_new ();

        if (!scalar_is_null (value) && value->type != YAML_MAPPING_NODE)
          set_field_error (error, p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                           field, "expected a mapping of lists");
        else if (!scalar_is_null (value))
          FOR_EACH_PAIR (p, value, pair_extra, ek, ev, {
            if (ev->type != YAML_SEQUENCE_NODE)
              {
                char sub[256];

                set_field_error (error, p, ev, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                                 field_path (sub, sizeof sub, "%s.%s", field, scalar_value (ek)),
                                 "expected a list");
              }
            else
              for (yaml_node_item_t *it = ev->data.sequence.items.start;
                   it < ev->data.sequence.items.top; it++)
                {
                  yaml_node_t *item_node = yaml_document_get_node (p->doc, *it);
                  g_autofree char *pair_text = g_strdup_printf ("%s=%s", scalar_value (ek),
                                                                 scalar_value (item_node) ? scalar_value (item_node) : "");
                  g_strv_builder_add (extra, pair_text);
                }
          });
        g_strfreev (entry->impersonate_extra);
        entry->impersonate_extra = g_strv_builder_end (extra);
      }
    else
      /* An auth field we do not know could mean credentials we would not
       * send: better to say so than to fail later with a 401. */
      set_field_error (error, p, key, PH_KUBECONFIG_PROBLEM_UNKNOWN_FIELD, field, "unknown field");
  });

  if (*error != NULL)
    return entry;

  if (cert_rel != NULL && cert_rel[0] != '\0')
    {
      entry->cert_path = resolve_path (p, cert_rel);
      if (entry->cert_data == NULL)
        {
          g_snprintf (field, sizeof field, "users[%u].user.client-certificate", index);
          entry->cert_data = read_file_for_field (p, cert_node, field, entry->cert_path, error);
        }
    }
  if (key_rel != NULL && key_rel[0] != '\0')
    {
      entry->key_path = resolve_path (p, key_rel);
      if (entry->key_data == NULL)
        {
          g_snprintf (field, sizeof field, "users[%u].user.client-key", index);
          entry->key_data = read_file_for_field (p, key_node, field, entry->key_path, error);
        }
    }
  if (token_file_rel != NULL && token_file_rel[0] != '\0')
    {
      entry->token_file = resolve_path (p, token_file_rel);
      if (!g_file_test (entry->token_file, G_FILE_TEST_EXISTS))
        {
          g_snprintf (field, sizeof field, "users[%u].user.tokenFile", index);
          set_field_error (error, p, token_file_node, PH_KUBECONFIG_PROBLEM_FILE_NOT_FOUND, field,
                           "file \"%s\" not found", entry->token_file);
        }
    }

  if (*error != NULL)
    return entry;

  if ((entry->cert_data != NULL) != (entry->key_data != NULL))
    {
      set_field_error (error, p, entry->cert_data ? cert_node : key_node, PH_KUBECONFIG_PROBLEM_MISSING_FIELD,
                       field_path (field, sizeof field, "users[%u].user", index), "%s given without %s",
                       entry->cert_data ? "client certificate" : "client key",
                       entry->cert_data ? "client-key" : "client-certificate");
      return entry;
    }
  if (entry->cert_data != NULL)
    {
      g_autoptr(GString) pem = g_string_new (NULL);
      g_autoptr(GTlsCertificate) cert = NULL;
      g_autoptr(GError) local_error = NULL;

      g_string_append_len (pem, g_bytes_get_data (entry->cert_data, NULL), g_bytes_get_size (entry->cert_data));
      g_string_append_c (pem, '\n');
      g_string_append_len (pem, g_bytes_get_data (entry->key_data, NULL), g_bytes_get_size (entry->key_data));
      cert = g_tls_certificate_new_from_pem (pem->str, pem->len, &local_error);
      /* Never echo the key: only say which pair failed. */
      if (cert == NULL)
        set_field_error (error, p, key_node, PH_KUBECONFIG_PROBLEM_INVALID_CERTIFICATE,
                         field_path (field, sizeof field, "users[%u].user", index),
                         "client certificate and key do not form a valid PEM pair (%s)", local_error->message);
    }

  if (entry->token != NULL && !ph_kubeconfig_is_header_safe (entry->token))
    {
      /* never quote it */
      set_field_error (error, p, token_node, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                       field_path (field, sizeof field, "users[%u].user.token", index),
                       "contains line breaks or control characters");
      return entry;
    }
  /* Dropping an Impersonate-* header would send the request as the user
   * behind the credentials, usually with more rights. */
  if ((entry->impersonate != NULL && !ph_kubeconfig_is_header_safe (entry->impersonate)) ||
      (entry->impersonate_uid != NULL && !ph_kubeconfig_is_header_safe (entry->impersonate_uid)) ||
      !strv_is_header_safe ((const char * const *) entry->impersonate_groups) ||
      !strv_is_header_safe ((const char * const *) entry->impersonate_extra))
    {
      set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_INVALID_VALUE,
                       field_path (field, sizeof field, "users[%u].user", index),
                       "as, as-uid, as-groups or as-user-extra contains line breaks or control characters");
      return entry;
    }

  if (entry->username != NULL && (entry->token != NULL || entry->token_file != NULL))
    set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_CONFLICT,
                     field_path (field, sizeof field, "users[%u].user", index),
                     "username/password cannot be combined with a token");
  else if (entry->auth_provider && entry->exec == NULL && entry->token == NULL)
    set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_UNSUPPORTED,
                     field_path (field, sizeof field, "users[%u].user.auth-provider", index),
                     "auth providers are not supported; use an exec plugin");

  return entry;
}

static ContextEntry *
parse_context (Parse       *p,
               yaml_node_t *item,
               guint        index)
{
  ContextEntry *entry = g_rc_box_new0 (ContextEntry);
  yaml_node_t *body = NULL;
  GError **error = &entry->error;
  char field[128];

  entry->file = g_strdup (p->file);
  p->problem = &entry->problem;
  entry->line = node_line (item);
  entry->index = index;

  if (!parse_named_item (p, item, "contexts", "context", index, &entry->name, &body, error))
    return entry;
  if (body == NULL || scalar_is_null (body) || body->type != YAML_MAPPING_NODE)
    {
      PhKubeconfigProblem code = body == NULL || scalar_is_null (body) ? PH_KUBECONFIG_PROBLEM_MISSING_FIELD
                                                                       : PH_KUBECONFIG_PROBLEM_INVALID_VALUE;

      set_field_error (error, p, body ? body : item, code,
                       field_path (field, sizeof field, "contexts[%u].context", index), "missing or not a mapping");
      return entry;
    }

  entry->line = node_line (body);

  FOR_EACH_PAIR (p, body, pair9, key, value, {
    const char *k = scalar_value (key);
    g_snprintf (field, sizeof field, "contexts[%u].context.%s", index, k ? k : "?");
    if (g_strcmp0 (k, "cluster") == 0)
      {
        entry->cluster_line = node_line (value);
        get_string (p, value, field, &entry->cluster, error);
      }
    else if (g_strcmp0 (k, "user") == 0)
      {
        entry->user_line = node_line (value);
        get_string (p, value, field, &entry->user, error);
      }
    else if (g_strcmp0 (k, "namespace") == 0)
      get_string (p, value, field, &entry->namespace_, error);
    else if (g_strcmp0 (k, "extensions") == 0)
      ;
    else
      g_debug ("%s:%u: ignoring unknown field %s", p->file, node_line (key), field);
  });

  if (*error == NULL && (entry->cluster == NULL || entry->cluster[0] == '\0'))
    set_field_error (error, p, body, PH_KUBECONFIG_PROBLEM_MISSING_FIELD,
                     field_path (field, sizeof field, "contexts[%u].context.cluster", index),
                     "missing");

  return entry;
}

/* JSON for a YAML subtree (the exec extension is handed to plugins as
 * JSON).  Plain scalars that look like numbers, booleans or null keep
 * their type. */
static void
yaml_to_json (yaml_document_t *doc,
              yaml_node_t     *node,
              GString         *out,
              guint            depth)
{
  if (depth > 64)
    {
      g_string_append (out, "null");
      return;
    }

  switch (node->type)
    {
    case YAML_MAPPING_NODE:
      g_string_append_c (out, '{');
      for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
           pair < node->data.mapping.pairs.top; pair++)
        {
          yaml_node_t *k = yaml_document_get_node (doc, pair->key);
          yaml_node_t *v = yaml_document_get_node (doc, pair->value);
          g_autofree char *escaped = NULL;

          if (pair != node->data.mapping.pairs.start)
            g_string_append_c (out, ',');
          escaped = g_strescape (scalar_value (k) ? scalar_value (k) : "", NULL);
          g_string_append_printf (out, "\"%s\":", escaped);
          yaml_to_json (doc, v, out, depth + 1);
        }
      g_string_append_c (out, '}');
      break;

    case YAML_SEQUENCE_NODE:
      g_string_append_c (out, '[');
      for (yaml_node_item_t *it = node->data.sequence.items.start;
           it < node->data.sequence.items.top; it++)
        {
          if (it != node->data.sequence.items.start)
            g_string_append_c (out, ',');
          yaml_to_json (doc, yaml_document_get_node (doc, *it), out, depth + 1);
        }
      g_string_append_c (out, ']');
      break;

    case YAML_SCALAR_NODE:
      {
        const char *v = scalar_value (node);
        char *end = NULL;

        if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
          {
            if (scalar_is_null (node))
              {
                g_string_append (out, "null");
                break;
              }
            if (strcmp (v, "true") == 0 || strcmp (v, "false") == 0)
              {
                g_string_append (out, v);
                break;
              }
            g_ascii_strtod (v, &end);
            if (end != NULL && end != v && *end == '\0' && (g_ascii_isdigit (v[0]) || v[0] == '-'))
              {
                g_string_append (out, v);
                break;
              }
          }
        {
          g_autoptr(GString) esc = g_string_new ("\"");
          for (const unsigned char *c = (const unsigned char *) v; *c; c++)
            {
              if (*c == '"' || *c == '\\')
                g_string_append_printf (esc, "\\%c", *c);
              else if (*c < 0x20)
                g_string_append_printf (esc, "\\u%04x", *c);
              else
                g_string_append_c (esc, *c);
            }
          g_string_append_c (esc, '"');
          g_string_append_len (out, esc->str, esc->len);
        }
      }
      break;

    case YAML_NO_NODE:
    default:
      g_string_append (out, "null");
      break;
    }
}

static char *
yaml_node_to_json (yaml_document_t *doc,
                                 yaml_node_t     *node)
{
  GString *out = g_string_new (NULL);

  yaml_to_json (doc, node, out, 0);
  return g_string_free (out, FALSE);
}

/* Takes @error; copies @problem. */
static void
add_file_error (PhKubeconfig  *self,
                GError        *error,
                const Problem *problem)
{
  Problem *copy = g_new0 (Problem, 1);

  problem_copy (copy, problem);
  g_ptr_array_add (self->file_errors, error);
  g_ptr_array_add (self->file_problems, copy);
}

/* Merges one file's entries into @self: names already present win.  A
 * file that cannot be parsed at all fails, with @problem set. */
static gboolean
ph_kubeconfig_add_data (PhKubeconfig *self,
                        const char   *data,
                        gsize         length,
                        const char   *path,
                        Problem      *problem,
                        GError      **error)
{
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_node_t *root;
  Parse p = { 0 };
  g_autofree char *current = NULL;
  g_autofree char *abs_path = NULL;

  if (!yaml_parser_initialize (&parser))
    g_error ("Out of memory initializing the YAML parser");
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, length);

  if (!yaml_parser_load (&parser, &doc))
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                   "%s:%lu:%lu: malformed YAML: %s%s%s", path,
                   (gulong) parser.problem_mark.line + 1,
                   (gulong) parser.problem_mark.column + 1,
                   parser.problem ? parser.problem : "syntax error",
                   parser.context ? " " : "",
                   parser.context ? parser.context : "");
      problem_clear (problem);
      problem->code = PH_KUBECONFIG_PROBLEM_SYNTAX;
      problem->file = g_canonicalize_filename (path, NULL);
      problem->line = (guint) parser.problem_mark.line + 1;
      yaml_parser_delete (&parser);
      return FALSE;
    }
  yaml_parser_delete (&parser);

  abs_path = g_canonicalize_filename (path, NULL);

  p.doc = &doc;
  p.file = abs_path;
  p.dir = g_path_get_dirname (abs_path);

  root = yaml_document_get_root_node (&doc);

  /* An empty file is an empty kubeconfig, as for clientcmd. */
  if (root != NULL && !scalar_is_null (root))
    {
      if (root->type != YAML_MAPPING_NODE)
        {
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                       "%s:%u: not a kubeconfig: the document is not a mapping", abs_path, node_line (root));
          problem_clear (problem);
          problem->code = PH_KUBECONFIG_PROBLEM_SYNTAX;
          problem->file = g_strdup (abs_path);
          problem->line = node_line (root);
          yaml_document_delete (&doc);
          g_free (p.dir);
          return FALSE;
        }

      FOR_EACH_PAIR (&p, root, pair10, key, value, {
        const char *k = scalar_value (key);
        gboolean is_clusters = g_strcmp0 (k, "clusters") == 0;
        gboolean is_users = g_strcmp0 (k, "users") == 0;
        gboolean is_contexts = g_strcmp0 (k, "contexts") == 0;

        if (g_strcmp0 (k, "current-context") == 0 && value->type == YAML_SCALAR_NODE &&
            !scalar_is_null (value))
          {
            g_free (current);
            current = g_strdup (scalar_value (value));
          }
        else if ((is_clusters || is_users || is_contexts) && !scalar_is_null (value))
          {
            if (value->type != YAML_SEQUENCE_NODE)
              {
                g_autoptr(GError) list_error = NULL;
                Problem list_problem = { 0 };

                p.problem = &list_problem;
                set_field_error (&list_error, &p, value, PH_KUBECONFIG_PROBLEM_INVALID_VALUE, k,
                                 "expected a list");
                add_file_error (self, g_steal_pointer (&list_error), &list_problem);
                problem_clear (&list_problem);
                p.problem = NULL;
                continue;
              }
            for (yaml_node_item_t *it = value->data.sequence.items.start;
                 it < value->data.sequence.items.top; it++)
              {
                yaml_node_t *item = yaml_document_get_node (&doc, *it);
                guint index = it - value->data.sequence.items.start;

                if (is_clusters)
                  {
                    ClusterEntry *entry = parse_cluster (&p, item, index);
                    g_ptr_array_add (self->all_clusters, entry);
                    if (entry->name == NULL)
                      add_file_error (self, g_error_copy (entry->error), &entry->problem);
                    else if (!g_hash_table_contains (self->clusters, entry->name))
                      {
                        g_hash_table_insert (self->clusters, entry->name, entry);
                        g_ptr_array_add (self->cluster_order, entry);
                      }
                  }
                else if (is_users)
                  {
                    UserEntry *entry = parse_user (&p, item, index);
                    g_ptr_array_add (self->all_users, entry);
                    if (entry->name == NULL)
                      add_file_error (self, g_error_copy (entry->error), &entry->problem);
                    else if (!g_hash_table_contains (self->users, entry->name))
                      {
                        g_hash_table_insert (self->users, entry->name, entry);
                        g_ptr_array_add (self->user_order, entry);
                      }
                  }
                else
                  {
                    ContextEntry *entry = parse_context (&p, item, index);
                    g_ptr_array_add (self->all_contexts, entry);
                    if (entry->name == NULL)
                      add_file_error (self, g_error_copy (entry->error), &entry->problem);
                    else if (!g_hash_table_contains (self->contexts, entry->name))
                      g_hash_table_insert (self->contexts, entry->name, entry);
                  }
              }
          }
      });
    }

  if (self->current_context == NULL && current != NULL && current[0] != '\0')
    self->current_context = g_steal_pointer (&current);

  yaml_document_delete (&doc);
  g_free (p.dir);
  return TRUE;
}

static void
ph_context_finalize (GObject *object)
{
  PhContext *self = (PhContext *) object;

  g_clear_error (&self->error);
  problem_clear (&self->problem);
  g_clear_pointer (&self->context, context_entry_unref);
  g_clear_pointer (&self->cluster, cluster_entry_unref);
  g_clear_pointer (&self->user, user_entry_unref);

  G_OBJECT_CLASS (ph_context_parent_class)->finalize (object);
}

enum {
  PROP_0,
  PROP_NAME,
  PROP_CLUSTER_NAME,
  PROP_USER_NAME,
  PROP_NAMESPACE,
  PROP_SERVER,
  PROP_AUTH_KIND,
  PROP_IS_CURRENT,
  PROP_ERROR_MESSAGE,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ph_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PhContext *self = PH_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, ph_context_get_name (self));
      break;
    case PROP_CLUSTER_NAME:
      g_value_set_string (value, ph_context_get_cluster_name (self));
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, ph_context_get_user_name (self));
      break;
    case PROP_NAMESPACE:
      g_value_set_string (value, ph_context_get_namespace (self));
      break;
    case PROP_SERVER:
      g_value_set_string (value, ph_context_get_server (self));
      break;
    case PROP_AUTH_KIND:
      g_value_set_string (value, ph_context_get_auth_kind (self));
      break;
    case PROP_IS_CURRENT:
      g_value_set_boolean (value, ph_context_get_is_current (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error ? self->error->message : NULL);
      break;
    case PROP_FILE:
      g_value_set_string (value, ph_context_get_file (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_context_class_init (PhContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ph_context_finalize;
  object_class->get_property = ph_context_get_property;

  /* A context never changes after loading: the properties are there for
   * expressions, sorters and filters in lists of contexts. */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_CLUSTER_NAME] = g_param_spec_string ("cluster-name", NULL, NULL, NULL, flags);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, flags);
  properties[PROP_NAMESPACE] = g_param_spec_string ("namespace", NULL, NULL, NULL, flags);
  properties[PROP_SERVER] = g_param_spec_string ("server", NULL, NULL, NULL, flags);
  properties[PROP_AUTH_KIND] = g_param_spec_string ("auth-kind", NULL, NULL, NULL, flags);
  properties[PROP_IS_CURRENT] = g_param_spec_boolean ("is-current", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_context_init (PhContext *self)
{
}

static const char *
auth_kind_for_user (UserEntry *user)
{
  if (user == NULL)
    return "none";
  if (user->exec != NULL || user->exec_declared)
    return "exec";
  if (user->token != NULL && user->token[0] != '\0')
    return "token";
  if (user->token_file != NULL)
    return "token-file";
  if (user->cert_data != NULL)
    return "client-certificate";
  if (user->username != NULL || user->password != NULL)
    return "basic";
  if (user->auth_provider)
    return "auth-provider";
  return "none";
}

/* A context naming a @kind ("cluster" or "user") that no file defines. */
static void
set_missing_reference (PhContext  *context,
                       const char *kind,
                       guint       line,
                       const char *name)
{
  ContextEntry *entry = context->context;
  g_autofree char *field = g_strdup_printf ("contexts[%u].context.%s", entry->index, kind);

  context->error = g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                                "%s:%u: %s: no %s named \"%s\"",
                                entry->file, line, field, kind, name);
  problem_clear (&context->problem);
  context->problem.code = PH_KUBECONFIG_PROBLEM_MISSING_REFERENCE;
  context->problem.file = g_strdup (entry->file);
  context->problem.line = line;
  context->problem.field = g_steal_pointer (&field);
}

/* Builds the PhContext list once all files are merged: a context is only
 * as good as the cluster and user it names. */
static void
ph_kubeconfig_resolve (PhKubeconfig *self)
{
  for (guint i = 0; i < self->all_contexts->len; i++)
    {
      ContextEntry *entry = g_ptr_array_index (self->all_contexts, i);
      g_autoptr(PhContext) context = NULL;

      if (entry->name == NULL || g_hash_table_lookup (self->contexts, entry->name) != entry)
        continue;

      context = g_object_new (PH_TYPE_CONTEXT, NULL);
      context->context = g_rc_box_acquire (entry);
      context->is_current = g_strcmp0 (entry->name, self->current_context) == 0;

      if (entry->cluster != NULL)
        context->cluster = g_hash_table_lookup (self->clusters, entry->cluster);
      if (context->cluster != NULL)
        g_rc_box_acquire (context->cluster);
      if (entry->user != NULL && entry->user[0] != '\0')
        context->user = g_hash_table_lookup (self->users, entry->user);
      if (context->user != NULL)
        g_rc_box_acquire (context->user);
      context->auth_kind = auth_kind_for_user (context->user);

      if (entry->error != NULL)
        {
          context->error = g_error_copy (entry->error);
          problem_copy (&context->problem, &entry->problem);
        }
      else if (context->cluster == NULL)
        set_missing_reference (context, "cluster", entry->cluster_line, entry->cluster);
      else if (context->cluster->error != NULL)
        {
          context->error = g_error_copy (context->cluster->error);
          problem_copy (&context->problem, &context->cluster->problem);
        }
      else if (entry->user != NULL && entry->user[0] != '\0' && context->user == NULL)
        set_missing_reference (context, "user", entry->user_line, entry->user);
      else if (context->user != NULL && context->user->error != NULL)
        {
          context->error = g_error_copy (context->user->error);
          problem_copy (&context->problem, &context->user->problem);
        }

      g_list_store_append (self->context_list, context);
      g_hash_table_insert (self->context_by_name, context->context->name, context);
    }
}

static void
ph_kubeconfig_finalize (GObject *object)
{
  PhKubeconfig *self = (PhKubeconfig *) object;

  g_clear_pointer (&self->context_by_name, g_hash_table_unref);
  g_clear_object (&self->context_list);
  g_clear_pointer (&self->files, g_strfreev);
  g_clear_pointer (&self->file_errors, g_ptr_array_unref);
  g_clear_pointer (&self->file_problems, g_ptr_array_unref);
  g_clear_pointer (&self->current_context, g_free);
  g_clear_pointer (&self->clusters, g_hash_table_unref);
  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->contexts, g_hash_table_unref);
  g_clear_pointer (&self->cluster_order, g_ptr_array_unref);
  g_clear_pointer (&self->user_order, g_ptr_array_unref);
  g_clear_pointer (&self->all_clusters, g_ptr_array_unref);
  g_clear_pointer (&self->all_users, g_ptr_array_unref);
  g_clear_pointer (&self->all_contexts, g_ptr_array_unref);

  G_OBJECT_CLASS (ph_kubeconfig_parent_class)->finalize (object);
}

static void
ph_kubeconfig_class_init (PhKubeconfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ph_kubeconfig_finalize;
}

static void
ph_kubeconfig_init (PhKubeconfig *self)
{
  self->file_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  self->file_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  self->clusters = g_hash_table_new (g_str_hash, g_str_equal);
  self->users = g_hash_table_new (g_str_hash, g_str_equal);
  self->contexts = g_hash_table_new (g_str_hash, g_str_equal);
  self->all_clusters = g_ptr_array_new_with_free_func ((GDestroyNotify) cluster_entry_unref);
  self->all_users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_entry_unref);
  self->all_contexts = g_ptr_array_new_with_free_func ((GDestroyNotify) context_entry_unref);
  self->cluster_order = g_ptr_array_new ();
  self->user_order = g_ptr_array_new ();
  self->context_list = g_list_store_new (PH_TYPE_CONTEXT);
  self->context_by_name = g_hash_table_new (g_str_hash, g_str_equal);
}

PhKubeconfig *
ph_kubeconfig_new_from_data (const char  *data,
                             gssize       length,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(PhKubeconfig) self = NULL;
  const char *files[] = { path, NULL };
  Problem problem = { 0 };

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (length < 0)
    length = strlen (data);

  self = g_object_new (PH_TYPE_KUBECONFIG, NULL);
  if (!ph_kubeconfig_add_data (self, data, length, path, &problem, error))
    {
      problem_clear (&problem);
      return NULL;
    }
  self->files = g_strdupv ((char **) files);
  ph_kubeconfig_resolve (self);
  return g_steal_pointer (&self);
}

PhKubeconfig *
ph_kubeconfig_load_files (const char * const  *paths,
                          GError             **error)
{
  g_autoptr(PhKubeconfig) self = g_object_new (PH_TYPE_KUBECONFIG, NULL);
  g_autoptr(GStrvBuilder) loaded = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_loaded = 0;

  g_return_val_if_fail (paths != NULL, NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;
      Problem problem = { 0 };
      gsize len = 0;

      if (paths[i][0] == '\0')
        continue;
      path = g_canonicalize_filename (paths[i], NULL);
      /* clientcmd reads a file listed twice only once */
      if (g_hash_table_contains (seen, path))
        continue;
      g_hash_table_add (seen, g_strdup (path));

      if (!g_file_get_contents (path, &contents, &len, &local_error))
        {
          if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            {
              Problem unreadable = { PH_KUBECONFIG_PROBLEM_UNREADABLE, path, 0, NULL };

              add_file_error (self,
                              g_error_new (PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG,
                                           "%s: cannot read: %s", path, local_error->message),
                              &unreadable);
            }
          continue;
        }

      if (!ph_kubeconfig_add_data (self, contents, len, path, &problem, &local_error))
        {
          add_file_error (self, g_steal_pointer (&local_error), &problem);
          problem_clear (&problem);
          continue;
        }

      g_strv_builder_add (loaded, path);
      n_loaded++;
    }

  if (n_loaded == 0)
    {
      if (self->file_errors->len > 0)
        {
          const GError *first = g_ptr_array_index (self->file_errors, 0);
          g_set_error_literal (error, PH_KUBE_ERROR, PH_KUBE_ERROR_CONFIG, first->message);
        }
      else
        {
          g_autofree char *list = g_strjoinv (", ", (char **) paths);
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NO_CONFIG,
                       "No kubeconfig found (looked for %s)", list);
        }
      return NULL;
    }

  self->files = g_strv_builder_end (loaded);
  ph_kubeconfig_resolve (self);
  return g_steal_pointer (&self);
}

PhKubeconfig *
ph_kubeconfig_load (const char  *explicit_path,
                    GError     **error)
{
  const char *env;

  if (explicit_path != NULL && explicit_path[0] != '\0')
    {
      const char *paths[] = { explicit_path, NULL };

      /* An explicit file must exist: kubectl fails the same way. */
      if (!g_file_test (explicit_path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_NO_CONFIG,
                       "%s: kubeconfig file not found", explicit_path);
          return NULL;
        }
      return ph_kubeconfig_load_files (paths, error);
    }

  env = g_getenv ("KUBECONFIG");
  if (env != NULL && env[0] != '\0')
    {
      g_auto(GStrv) paths = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
      return ph_kubeconfig_load_files ((const char * const *) paths, error);
    }
  else
    {
      g_autofree char *path = g_build_filename (g_get_home_dir (), ".kube", "config", NULL);
      const char *paths[] = { path, NULL };
      return ph_kubeconfig_load_files (paths, error);
    }
}

const char * const *
ph_kubeconfig_get_files (PhKubeconfig *self)
{
  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);
  return (const char * const *) self->files;
}

GPtrArray *
ph_kubeconfig_get_file_errors (PhKubeconfig *self)
{
  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);
  return self->file_errors;
}

PhKubeconfigProblem
ph_kubeconfig_get_file_problem (PhKubeconfig  *self,
                                guint          index,
                                const char   **file,
                                guint         *line,
                                const char   **field)
{
  const Problem *problem;

  g_return_val_if_fail (PH_IS_KUBECONFIG (self), PH_KUBECONFIG_PROBLEM_NONE);
  g_return_val_if_fail (index < self->file_problems->len, PH_KUBECONFIG_PROBLEM_NONE);

  problem = g_ptr_array_index (self->file_problems, index);
  if (file != NULL)
    *file = problem->file;
  if (line != NULL)
    *line = problem->line;
  if (field != NULL)
    *field = problem->field;
  return problem->code;
}

const char *
ph_kubeconfig_get_current_context (PhKubeconfig *self)
{
  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);
  return self->current_context;
}

GListModel *
ph_kubeconfig_get_contexts (PhKubeconfig *self)
{
  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);
  return G_LIST_MODEL (self->context_list);
}

PhContext *
ph_kubeconfig_lookup_context (PhKubeconfig *self,
                              const char   *name)
{
  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->context_by_name, name);
}

gboolean
ph_kubeconfig_is_header_safe (const char *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  for (const unsigned char *c = (const unsigned char *) value; *c; c++)
    if ((*c < 0x20 && *c != '\t') || *c == 0x7f)
      return FALSE;
  return TRUE;
}

GStrv
ph_kubeconfig_dup_cluster_names (PhKubeconfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);

  for (guint i = 0; i < self->cluster_order->len; i++)
    g_strv_builder_add (builder, ((ClusterEntry *) g_ptr_array_index (self->cluster_order, i))->name);
  return g_strv_builder_end (builder);
}

GStrv
ph_kubeconfig_dup_user_names (PhKubeconfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);

  for (guint i = 0; i < self->user_order->len; i++)
    g_strv_builder_add (builder, ((UserEntry *) g_ptr_array_index (self->user_order, i))->name);
  return g_strv_builder_end (builder);
}

const char *
ph_kubeconfig_get_cluster_server (PhKubeconfig *self,
                                  const char   *name)
{
  ClusterEntry *entry;

  g_return_val_if_fail (PH_IS_KUBECONFIG (self), NULL);

  entry = g_hash_table_lookup (self->clusters, name);
  return entry ? entry->server : NULL;
}

#define CONTEXT_GETTER(type, name, expr)            \
  type                                              \
  ph_context_get_##name (PhContext *self)           \
  {                                                 \
    g_return_val_if_fail (PH_IS_CONTEXT (self), 0); \
    return (expr);                                  \
  }

CONTEXT_GETTER (const char *, name, self->context->name)
CONTEXT_GETTER (const char *, cluster_name, self->context->cluster)
CONTEXT_GETTER (const char *, user_name, self->context->user)
CONTEXT_GETTER (const char *, namespace, self->context->namespace_)
CONTEXT_GETTER (gboolean, is_current, self->is_current)
CONTEXT_GETTER (const char *, auth_kind, self->auth_kind)
CONTEXT_GETTER (const GError *, error, self->error)
CONTEXT_GETTER (const char *, file, self->context->file)
CONTEXT_GETTER (PhKubeconfigProblem, problem, self->problem.code)
CONTEXT_GETTER (const char *, problem_file, self->problem.file)
CONTEXT_GETTER (guint, problem_line, self->problem.line)
CONTEXT_GETTER (const char *, problem_field, self->problem.field)
CONTEXT_GETTER (const char *, server, self->cluster ? self->cluster->server : NULL)
CONTEXT_GETTER (const char *, certificate_authority, self->cluster ? self->cluster->ca_path : NULL)
CONTEXT_GETTER (GBytes *, certificate_authority_data, self->cluster ? self->cluster->ca_data : NULL)
CONTEXT_GETTER (gboolean, insecure_skip_tls_verify, self->cluster ? self->cluster->insecure : FALSE)
CONTEXT_GETTER (const char *, tls_server_name, self->cluster ? self->cluster->tls_server_name : NULL)
CONTEXT_GETTER (const char *, proxy_url, self->cluster ? self->cluster->proxy_url : NULL)
CONTEXT_GETTER (const char *, exec_extension_json, self->cluster ? self->cluster->exec_extension_json : NULL)
CONTEXT_GETTER (const char *, client_certificate, self->user ? self->user->cert_path : NULL)
CONTEXT_GETTER (GBytes *, client_certificate_data, self->user ? self->user->cert_data : NULL)
CONTEXT_GETTER (const char *, client_key, self->user ? self->user->key_path : NULL)
CONTEXT_GETTER (GBytes *, client_key_data, self->user ? self->user->key_data : NULL)
CONTEXT_GETTER (const char *, token, self->user ? self->user->token : NULL)
CONTEXT_GETTER (const char *, token_file, self->user ? self->user->token_file : NULL)
CONTEXT_GETTER (const char *, username, self->user ? self->user->username : NULL)
CONTEXT_GETTER (const char *, password, self->user ? self->user->password : NULL)
CONTEXT_GETTER (PhExecConfig *, exec, self->user ? self->user->exec : NULL)
CONTEXT_GETTER (const char *, impersonate, self->user ? self->user->impersonate : NULL)
CONTEXT_GETTER (const char *, impersonate_uid, self->user ? self->user->impersonate_uid : NULL)
CONTEXT_GETTER (const char * const *, impersonate_groups,
                self->user ? (const char * const *) self->user->impersonate_groups : NULL)
CONTEXT_GETTER (const char * const *, impersonate_extra,
                self->user ? (const char * const *) self->user->impersonate_extra : NULL)
