/** Latency figures of the running engine: per chain stage and tick-to-quote, in HdrHistograms. */
package io.mme.analytics;
