/** The networks BlockATM lists (Part B §4.4), in the `allNetworks` shape (§4.2). */
export interface NetworkInfo {
  addressType: string;
  chainId: string;
  confirm: number;
  explorer: string;
  name: string;
  network: string;
  testNet: boolean;
}

export interface TokenInfo {
  chainId: string;
  decimals: number;
  network: string;
  symbol: string;
  tokenAddress: string;
}

export const NETWORKS: readonly NetworkInfo[] = [
  { addressType: 'EVM', chainId: '1', confirm: 12, explorer: 'https://etherscan.io', name: 'Ethereum Mainnet', network: 'Ethereum', testNet: false },
  { addressType: 'EVM', chainId: '42161', confirm: 20, explorer: 'https://arbiscan.io', name: 'Arbitrum One', network: 'Arbitrum', testNet: false },
  { addressType: 'TRON', chainId: '0x2b6653dc', confirm: 19, explorer: 'https://tronscan.org', name: 'TRON Mainnet', network: 'TRON', testNet: false },
  { addressType: 'EVM', chainId: '11155111', confirm: 3, explorer: 'https://sepolia.etherscan.io', name: 'Sepolia', network: 'Ethereum', testNet: true },
  { addressType: 'EVM', chainId: '421614', confirm: 3, explorer: 'https://sepolia.arbiscan.io', name: 'Arbitrum Sepolia', network: 'Arbitrum', testNet: true },
  { addressType: 'TRON', chainId: '0x94a9059e', confirm: 3, explorer: 'https://shasta.tronscan.org', name: 'TRON Shasta', network: 'TRON', testNet: true },
];

export const TOKENS: readonly TokenInfo[] = [
  { chainId: '1', decimals: 6, network: 'Ethereum', symbol: 'USDT', tokenAddress: '0xdac17f958d2ee523a2206206994597c13d831ec7' },
  { chainId: '1', decimals: 6, network: 'Ethereum', symbol: 'USDC', tokenAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' },
  { chainId: '42161', decimals: 6, network: 'Arbitrum', symbol: 'USDT', tokenAddress: '0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9' },
  { chainId: '42161', decimals: 6, network: 'Arbitrum', symbol: 'USDC', tokenAddress: '0xaf88d065e77c8cc2239327c5edb3a432268e5831' },
  { chainId: '0x2b6653dc', decimals: 6, network: 'TRON', symbol: 'USDT', tokenAddress: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t' },
  { chainId: '11155111', decimals: 6, network: 'Ethereum', symbol: 'USDT', tokenAddress: '0x7169d38820dfd117c3fa1f22a697dba58d90ba06' },
  { chainId: '11155111', decimals: 6, network: 'Ethereum', symbol: 'USDC', tokenAddress: '0x1c7d4b196cb0c7b01d743fbc6116a902379c7238' },
  { chainId: '421614', decimals: 6, network: 'Arbitrum', symbol: 'USDC', tokenAddress: '0x75faf114eafb1bdbe2f0316df893fd58ce46aa4d' },
  { chainId: '0x94a9059e', decimals: 6, network: 'TRON', symbol: 'USDT', tokenAddress: 'TG3XXyExBkPp9nzdajDZsozEu4BkaSJozs' },
];

export function networkFor(chainId: string): NetworkInfo | undefined {
  return NETWORKS.find((network) => network.chainId === chainId);
}

export function tokenFor(chainId: string, symbol: string): TokenInfo | undefined {
  return TOKENS.find((token) => token.chainId === chainId && token.symbol === symbol);
}
