/**
 * Two-phase transactions over partition logs for the JCA adapter: {@link dev.tributary.broker.transaction.Transactions}
 * buffers nothing itself (the adapter does) but makes prepared transactions durable in a small transaction log
 * ({@code DATA_DIR/transactions}) and appends them idempotently at commit. Plain Java.
 */
package dev.tributary.broker.transaction;
