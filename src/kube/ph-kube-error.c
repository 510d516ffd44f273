/* ph-kube-error.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ph-kube-error.h"

G_DEFINE_QUARK (ph-kube-error-quark, ph_kube_error)

PhKubeError
ph_kube_error_from_http_status (guint status)
{
  switch (status)
    {
    case 401: return PH_KUBE_ERROR_UNAUTHORIZED;
    case 403: return PH_KUBE_ERROR_FORBIDDEN;
    case 404: return PH_KUBE_ERROR_NOT_FOUND;
    case 409: return PH_KUBE_ERROR_CONFLICT;
    case 410: return PH_KUBE_ERROR_GONE;
    case 429: return PH_KUBE_ERROR_TOO_MANY_REQUESTS;
    default:
      if (status >= 500 && status < 600)
        return PH_KUBE_ERROR_SERVER;
      return PH_KUBE_ERROR_FAILED;
    }
}
