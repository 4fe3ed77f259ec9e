package org.sherloc.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * {@code sherloc_default}: StandardTokenizer + LowerCaseFilter + ASCIIFoldingFilter, for
 * languages without a dedicated analyzer ("Ñandú" -> "nandu"). No stop words, no stemming.
 */
final class FoldingAnalyzer extends Analyzer {

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        StandardTokenizer source = new StandardTokenizer();
        return new TokenStreamComponents(source, normalize(fieldName, source));
    }

    /** Also applied to wildcard/prefix/fuzzy query terms, so they match indexed tokens. */
    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return new ASCIIFoldingFilter(new LowerCaseFilter(in));
    }
}
