/* test-soak.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ph-cluster.h"
#include "ph-list-cache.h"
#include "ph-query.h"
#include "ph-sim-server.h"
#include "ph-watch-hub.h"
#include "test-watch-util.h"

/* Churn plus random faults for a while, with both strategies and several
 * queries at once; then, once the server is still, every cache must equal
 * the server's truth exactly.  The seed is printed, so a failure can be
 * replayed with --seed. */

#define SOAK_SECONDS 20

typedef struct {
  PhListCache *cache;
  const char  *namespace_;
} Watched;

static void
test_soak (void)
{
  PhSimServer *sim = wt_sim_start (1500, 5, g_test_rand_int (), 150);
  g_autoptr(PhCluster) cluster = wt_cluster_for (sim, "soak");
  PhWatchHub *hubs[2] = {
    ph_watch_hub_new (PH_WATCH_STRATEGY_MULTIPLEXED),
    ph_watch_hub_new (PH_WATCH_STRATEGY_WEBSOCKET),
  };
  const char *namespaces[] = { NULL, "default", "checkout" };
  Watched watched[6];
  gint64 end;
  guint faults = 0;

  /* Short watches too, so that normal ends mix with the faults. */
  g_object_set (hubs[1], "watch-timeout", 3, "streaming-list", FALSE, NULL);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(PhQuery) q = ph_query_new (cluster, "", "v1", "pods", namespaces[i % 3], NULL, NULL);

      watched[i].cache = ph_watch_hub_acquire (hubs[i / 3], q);
      watched[i].namespace_ = namespaces[i % 3];
    }
  for (guint i = 0; i < 6; i++)
    wt_wait_live (watched[i].cache);

  end = g_get_monotonic_time () + SOAK_SECONDS * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      switch (g_test_rand_int_range (0, 6))
        {
        case 0:
          ph_sim_server_drop_watches (sim);
          break;
        case 1:
          ph_sim_server_compact (sim);
          break;
        case 2:
          ph_sim_server_fail_next (sim, g_test_rand_int_range (1, 4), 500);
          ph_sim_server_drop_watches (sim);
          break;
        case 3:
          ph_sim_server_fail_next (sim, g_test_rand_int_range (1, 3), 429);
          break;
        case 4:
          ph_sim_server_set_latency (sim, g_test_rand_int_range (0, 300));
          break;
        case 5:
          ph_sim_server_churn_steps (sim, g_test_rand_int_range (10, 400));
          break;
        default:
          g_assert_not_reached ();
        }
      faults++;
      wt_spin (g_test_rand_int_range (100, 1200));
    }
  g_test_message ("%u faults injected", faults);

  ph_sim_server_set_churn (sim, 0);
  ph_sim_server_set_latency (sim, 0);
  ph_sim_server_fail_next (sim, 0, 500);

  for (guint i = 0; i < 6; i++)
    {
      wt_wait_cache_matches (watched[i].cache, sim, "pods", watched[i].namespace_);
      wt_wait_live (watched[i].cache);
    }
  /* Still true a moment later: nothing stale arrives afterwards. */
  ph_sim_server_churn_steps (sim, 100);
  for (guint i = 0; i < 6; i++)
    wt_wait_cache_matches (watched[i].cache, sim, "pods", watched[i].namespace_);

  for (guint i = 0; i < 6; i++)
    {
      ph_watch_hub_release (hubs[i / 3], watched[i].cache);
      g_object_unref (watched[i].cache);
    }
  g_assert_finalize_object (hubs[0]);
  g_assert_finalize_object (hubs[1]);
  ph_sim_server_stop (sim);
  g_object_unref (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  wt_init_logging ();

  g_test_add_func ("/porthole/soak/churn-and-faults", test_soak);

  return g_test_run ();
}
