/* ph-kubeconfig.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ph-kube-types.h"

G_BEGIN_DECLS

/* The merged kubeconfig, loaded like kubectl's clientcmd does: an explicit
 * file alone, else the KUBECONFIG list (first file wins per name), else
 * ~/.kube/config.  A broken file or entry never stops the rest from
 * loading: it is reported on the contexts that use it (and in
 * ph_kubeconfig_get_file_errors for whole files). */

#define PH_TYPE_KUBECONFIG (ph_kubeconfig_get_type ())
G_DECLARE_FINAL_TYPE (PhKubeconfig, ph_kubeconfig, PH, KUBECONFIG, GObject)

#define PH_TYPE_CONTEXT (ph_context_get_type ())
G_DECLARE_FINAL_TYPE (PhContext, ph_context, PH, CONTEXT, GObject)

#define PH_TYPE_EXEC_CONFIG (ph_exec_config_get_type ())

/* What is wrong with a broken entry or file, for callers that act on it
 * or say it in a few words; the GError's message stays the full
 * "FILE:LINE: FIELD: WHAT" for people. */
typedef enum {
  PH_KUBECONFIG_PROBLEM_NONE,
  PH_KUBECONFIG_PROBLEM_SYNTAX,              /* malformed YAML, or a document that is not a kubeconfig */
  PH_KUBECONFIG_PROBLEM_UNREADABLE,          /* a file exists but cannot be read */
  PH_KUBECONFIG_PROBLEM_FILE_NOT_FOUND,      /* a file the entry names (CA, certificate, key, token) */
  PH_KUBECONFIG_PROBLEM_MISSING_REFERENCE,   /* a context names a cluster or user that is not defined */
  PH_KUBECONFIG_PROBLEM_MISSING_FIELD,       /* a required field is absent or empty */
  PH_KUBECONFIG_PROBLEM_INVALID_VALUE,       /* wrong type, bad base64 or URL, unsupported exec apiVersion… */
  PH_KUBECONFIG_PROBLEM_INVALID_CERTIFICATE, /* PEM data that is no certificate, or a certificate/key mismatch */
  PH_KUBECONFIG_PROBLEM_UNKNOWN_FIELD,       /* a credential field we would not know how to use */
  PH_KUBECONFIG_PROBLEM_CONFLICT,            /* fields that cannot be used together */
  PH_KUBECONFIG_PROBLEM_UNSUPPORTED,         /* valid for kubectl once, but not supported (auth-provider) */
} PhKubeconfigProblem;

#define PH_TYPE_KUBECONFIG_PROBLEM (ph_kubeconfig_problem_get_type ())
GType ph_kubeconfig_problem_get_type (void) G_GNUC_CONST;

typedef enum {
  PH_EXEC_INTERACTIVE_NEVER,
  PH_EXEC_INTERACTIVE_IF_AVAILABLE,
  PH_EXEC_INTERACTIVE_ALWAYS,
} PhExecInteractiveMode;

/* users[].user.exec of a kubeconfig. */
typedef struct {
  /*< public, read-only >*/
  char      *api_version;      /* client.authentication.k8s.io/v1 or v1beta1 */
  char      *command;
  char     **args;
  char     **env;              /* "NAME=value" */
  char      *install_hint;
  gboolean   provide_cluster_info;
  PhExecInteractiveMode interactive_mode;
  /*< private >*/
  gatomicrefcount ref_count;
} PhExecConfig;

GType         ph_exec_config_get_type (void) G_GNUC_CONST;
PhExecConfig *ph_exec_config_ref      (PhExecConfig *config);
void          ph_exec_config_unref    (PhExecConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhExecConfig, ph_exec_config_unref)

/* Loads following the clientcmd rules; @explicit_path is --kubeconfig
 * (nullable).  Fails only when no file could be loaded at all. */
PhKubeconfig *ph_kubeconfig_load                  (const char          *explicit_path,
                                                   GError             **error);
/* Merges @paths in order (first wins); missing files are skipped.  Fails
 * when none of them could be read and parsed. */
PhKubeconfig *ph_kubeconfig_load_files            (const char * const  *paths,
                                                   GError             **error);
/* Parses one document held in memory; @path names it in errors and is
 * the base of relative paths. */
PhKubeconfig *ph_kubeconfig_new_from_data         (const char          *data,
                                                   gssize               length,
                                                   const char          *path,
                                                   GError             **error);

/* The files that were read, in merge order. */
const char * const *ph_kubeconfig_get_files       (PhKubeconfig        *self);
/* Errors of whole files (unreadable, malformed YAML) that were skipped,
 * and of list items without a name.  GError*, possibly empty. */
GPtrArray    *ph_kubeconfig_get_file_errors       (PhKubeconfig        *self);
/* The structure of file error @index: its file, line (0 when the whole
 * file) and field (NULL when none).  Out arguments are nullable. */
PhKubeconfigProblem ph_kubeconfig_get_file_problem (PhKubeconfig       *self,
                                                   guint                index,
                                                   const char         **file,
                                                   guint               *line,
                                                   const char         **field);
/* NULL when no file sets current-context. */
const char   *ph_kubeconfig_get_current_context   (PhKubeconfig        *self);
/* PhContext items, in the order of the files and of each file; one per
 * name (the first file that defines a name wins, as for kubectl). */
GListModel   *ph_kubeconfig_get_contexts          (PhKubeconfig        *self);
/* (transfer none), NULL when there is no such context.  A PhContext
 * stays valid after its kubeconfig is gone if you keep a reference. */
PhContext    *ph_kubeconfig_lookup_context        (PhKubeconfig        *self,
                                                   const char          *name);
/* Whether @value can travel in an HTTP header (a token, wherever it came
 * from, or an impersonated name): no line breaks or other control
 * characters.  libsoup drops a header that has them, and a request without
 * its Authorization or Impersonate-* header is a different request. */
gboolean      ph_kubeconfig_is_header_safe        (const char          *value);
/* Names of the merged clusters and users (for comparisons and tools). */
GStrv         ph_kubeconfig_dup_cluster_names     (PhKubeconfig        *self);
GStrv         ph_kubeconfig_dup_user_names        (PhKubeconfig        *self);
/* The server of the merged cluster @name, or NULL. */
const char   *ph_kubeconfig_get_cluster_server    (PhKubeconfig        *self,
                                                   const char          *name);

/* A context with everything resolved from its cluster and user entries.
 * Paths are absolute; *-data fields are decoded (files named by the
 * kubeconfig are read at load time, so a missing one shows up as the
 * context's error).  Read-only properties mirror the getters for list
 * expressions: name, cluster-name, user-name, namespace, server,
 * auth-kind, is-current, error-message, file. */
const char   *ph_context_get_name                 (PhContext           *self);
const char   *ph_context_get_cluster_name         (PhContext           *self);
const char   *ph_context_get_user_name            (PhContext           *self);
/* NULL when the context sets none. */
const char   *ph_context_get_namespace            (PhContext           *self);
gboolean      ph_context_get_is_current           (PhContext           *self);
/* "token", "token-file", "client-certificate", "exec", "basic", "auth-provider" or "none". */
const char   *ph_context_get_auth_kind            (PhContext           *self);
/* NULL when the context is usable. */
const GError *ph_context_get_error                (PhContext           *self);
/* The structure of that error (PH_KUBECONFIG_PROBLEM_NONE when usable):
 * the file and line it points at, which need not be the context's own
 * (a broken user disables every context using it), and the field path
 * as the message names it, e.g. "users[2].user.client-key". */
PhKubeconfigProblem ph_context_get_problem        (PhContext           *self);
const char   *ph_context_get_problem_file         (PhContext           *self);
guint         ph_context_get_problem_line         (PhContext           *self);
const char   *ph_context_get_problem_field        (PhContext           *self);
/* The file that defines the context. */
const char   *ph_context_get_file                 (PhContext           *self);

const char   *ph_context_get_server               (PhContext           *self);
const char   *ph_context_get_certificate_authority (PhContext          *self); /* path */
GBytes       *ph_context_get_certificate_authority_data (PhContext     *self); /* PEM */
gboolean      ph_context_get_insecure_skip_tls_verify (PhContext       *self);
const char   *ph_context_get_tls_server_name      (PhContext           *self);
const char   *ph_context_get_proxy_url            (PhContext           *self);
/* The cluster's extensions["client.authentication.k8s.io/exec"] as
 * JSON, or NULL. */
const char   *ph_context_get_exec_extension_json  (PhContext           *self);

const char   *ph_context_get_client_certificate   (PhContext           *self); /* path */
GBytes       *ph_context_get_client_certificate_data (PhContext        *self);
const char   *ph_context_get_client_key           (PhContext           *self); /* path */
GBytes       *ph_context_get_client_key_data      (PhContext           *self);
const char   *ph_context_get_token                (PhContext           *self);
const char   *ph_context_get_token_file           (PhContext           *self); /* path */
const char   *ph_context_get_username             (PhContext           *self);
const char   *ph_context_get_password             (PhContext           *self);
PhExecConfig *ph_context_get_exec                 (PhContext           *self);
/* Impersonation (as, as-uid, as-groups, as-user-extra); NULL when unset.
 * Extras are "key=value", one item per value. */
const char   *ph_context_get_impersonate          (PhContext           *self);
const char   *ph_context_get_impersonate_uid      (PhContext           *self);
const char * const *ph_context_get_impersonate_groups (PhContext       *self);
const char * const *ph_context_get_impersonate_extra  (PhContext       *self);

G_END_DECLS
