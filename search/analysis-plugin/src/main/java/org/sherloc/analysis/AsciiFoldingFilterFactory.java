package org.sherloc.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

/**
 * {@code sherloc_asciifolding}: Lucene's ASCIIFoldingFilter ("Ñandú" -> "Nandu"); multi-term
 * aware, so usable in normalizers. Setting {@code preserve_original: true} also keeps the
 * unfolded token (at the same position) when it differs.
 */
final class AsciiFoldingFilterFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {

    private final boolean preserveOriginal;

    AsciiFoldingFilterFactory(String name, Settings settings) {
        super(name, settings);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", false);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new ASCIIFoldingFilter(tokenStream, preserveOriginal);
    }

    /** A normalizer must yield exactly one token per input, so never preserve the original there. */
    @Override
    public TokenStream normalize(TokenStream tokenStream) {
        return new ASCIIFoldingFilter(tokenStream, false);
    }
}
