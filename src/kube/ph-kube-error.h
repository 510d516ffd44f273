/* ph-kube-error.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PH_KUBE_ERROR (ph_kube_error_quark ())

/* Codes follow what a caller has to do next, not every HTTP status. */
typedef enum {
  PH_KUBE_ERROR_FAILED,          /* anything else; message says what */
  PH_KUBE_ERROR_CONFIG,          /* kubeconfig problem: message names file, line, field */
  PH_KUBE_ERROR_CONNECT,         /* server unreachable, DNS, refused, reset */
  PH_KUBE_ERROR_TLS,             /* certificate verification or handshake failed */
  PH_KUBE_ERROR_UNAUTHORIZED,    /* 401 after a credential refresh */
  PH_KUBE_ERROR_FORBIDDEN,       /* 403 */
  PH_KUBE_ERROR_NOT_FOUND,       /* 404 */
  PH_KUBE_ERROR_GONE,            /* 410: resourceVersion or continue token expired */
  PH_KUBE_ERROR_CONFLICT,        /* 409 */
  PH_KUBE_ERROR_TOO_MANY_REQUESTS, /* 429 */
  PH_KUBE_ERROR_SERVER,          /* 5xx */
  PH_KUBE_ERROR_EXEC,            /* exec credential plugin failed; message has installHint / stderr */
  PH_KUBE_ERROR_INVALID_RESPONSE, /* the server said something we cannot parse */
  PH_KUBE_ERROR_NO_CONFIG,       /* no kubeconfig file where we looked; message names the paths */
} PhKubeError;

GQuark ph_kube_error_quark (void);

/* Maps an HTTP status to a PhKubeError code. */
PhKubeError ph_kube_error_from_http_status (guint status);

G_END_DECLS
