/* ph-kube-types.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _PhCluster      PhCluster;
typedef struct _PhKubeconfig   PhKubeconfig;
typedef struct _PhContext      PhContext;
typedef struct _PhListCache    PhListCache;
typedef struct _PhObject       PhObject;
typedef struct _PhQuery        PhQuery;
typedef struct _PhResourceInfo PhResourceInfo;
typedef struct _PhWatchHub     PhWatchHub;

typedef enum {
  PH_WATCH_STRATEGY_MULTIPLEXED,
  PH_WATCH_STRATEGY_WEBSOCKET,
} PhWatchStrategy;

typedef enum {
  PH_CACHE_STATE_SYNCING,
  PH_CACHE_STATE_LIVE,
  PH_CACHE_STATE_RECONNECTING,
  PH_CACHE_STATE_STALE,
  PH_CACHE_STATE_ERROR,
} PhCacheState;

G_END_DECLS
