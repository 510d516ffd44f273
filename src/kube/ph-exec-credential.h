/* ph-exec-credential.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ph-kubeconfig.h"

G_BEGIN_DECLS

/* The credential an exec plugin (client.authentication.k8s.io v1 or
 * v1beta1) provides for one context.  The plugin runs asynchronously and
 * only when a credential is asked for; concurrent askers share one run;
 * the result is cached until its expirationTimestamp or until
 * ph_exec_credential_invalidate (after a 401).  Several contexts may share
 * one credential, so its PH_KUBE_ERROR_EXEC errors name the plugin but no
 * context: the caller adds its own. */

#define PH_TYPE_EXEC_CREDENTIAL (ph_exec_credential_get_type ())
G_DECLARE_FINAL_TYPE (PhExecCredential, ph_exec_credential, PH, EXEC_CREDENTIAL, GObject)

PhExecCredential *ph_exec_credential_new        (PhContext           *context);
/* The credential shared by every context with the same plugin
 * configuration (command, args, env, apiVersion) and, when the plugin is
 * told about it, the same cluster: a new reference. */
PhExecCredential *ph_exec_credential_get_shared (PhContext           *context);
void              ph_exec_credential_get_async  (PhExecCredential    *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
/* On success @token and/or @certificate are set (either may be NULL when
 * the plugin did not provide it). */
gboolean          ph_exec_credential_get_finish (PhExecCredential    *self,
                                                 GAsyncResult        *result,
                                                 char               **token,
                                                 GTlsCertificate    **certificate,
                                                 GError             **error);
void              ph_exec_credential_invalidate (PhExecCredential    *self);
/* Counts the credentials the plugin handed out; a request remembers the
 * one it was sent with, so that a late 401 for an old credential does not
 * throw away (and log in again for) a newer one. */
guint             ph_exec_credential_get_generation (PhExecCredential *self);
/* Invalidates only while @generation is still the current credential. */
void              ph_exec_credential_invalidate_generation (PhExecCredential *self,
                                                            guint             generation);
/* The command line that runs the plugin; inside Flatpak it goes through
 * flatpak-spawn --host, with the environment passed as --env. */
GStrv             ph_exec_credential_dup_argv   (PhExecCredential    *self,
                                                 gboolean             for_flatpak);
/* Whether the plugin runs on the host through flatpak-spawn --host
 * (by default: whether Porthole itself runs inside Flatpak). */
void              ph_exec_credential_set_sandboxed (PhExecCredential *self,
                                                    gboolean          sandboxed);
/* How many times the plugin was started (for diagnostics and tests). */
guint             ph_exec_credential_get_n_runs (PhExecCredential    *self);

G_END_DECLS
