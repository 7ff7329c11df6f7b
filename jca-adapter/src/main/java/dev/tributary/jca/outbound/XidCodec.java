package dev.tributary.jca.outbound;

import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * Xids as the broker's transaction ids: {@code formatId:gtrid:bqual} with both byte strings in hex, so that the
 * broker stores them without knowing about XA and {@code recover} can rebuild the very Xid the TM logged.
 */
final class XidCodec {

    private static final HexFormat HEX = HexFormat.of();

    private XidCodec() {
    }

    static String encode(Xid xid) {
        return xid.getFormatId() + ":" + HEX.formatHex(xid.getGlobalTransactionId()) + ":"
                + HEX.formatHex(xid.getBranchQualifier());
    }

    /** @return the Xid, or null if {@code id} is not an encoded Xid (e.g. a local transaction's id) */
    static Xid decode(String id) {
        String[] parts = id.split(":", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return new DecodedXid(Integer.parseInt(parts[0]), HEX.parseHex(parts[1]), HEX.parseHex(parts[2]));
        } catch (IllegalArgumentException notAnXid) {
            return null;
        }
    }

    private record DecodedXid(int formatId, byte[] gtrid, byte[] bqual) implements Xid {

        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return gtrid.clone();
        }

        @Override
        public byte[] getBranchQualifier() {
            return bqual.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof DecodedXid x && formatId == x.formatId && Arrays.equals(gtrid, x.gtrid)
                    && Arrays.equals(bqual, x.bqual);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
        }
    }
}
